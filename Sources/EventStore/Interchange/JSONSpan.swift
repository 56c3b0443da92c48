/// Finds where a top-level member's value lies in a JSON object's bytes, without parsing it. A
/// restore uses it to take an export line's `data` and `metadata` byte for byte, so the restored
/// record (and its chain hash) is exactly the exported one whatever JSON writer made it.
enum JSONSpan {
    /// The byte range of the value of top-level `key` in `json` (a well-formed JSON object), or `nil`.
    static func value(of key: String, in json: UnsafeRawBufferPointer) -> Range<Int>? {
        let wanted = Array(key.utf8)
        var i = skipSpace(json, 0)
        guard i < json.count, json[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        while true {
            i = skipSpace(json, i)
            guard i < json.count, json[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            guard let keyEnd = skipString(json, i) else { return nil }
            let name = json[keyStart..<(keyEnd - 1)]
            i = skipSpace(json, keyEnd)
            guard i < json.count, json[i] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(json, i + 1)
            guard let valueEnd = skipValue(json, valueStart) else { return nil }
            if name.elementsEqual(wanted) { return valueStart..<valueEnd }
            i = skipSpace(json, valueEnd)
            guard i < json.count else { return nil }
            if json[i] == UInt8(ascii: "}") { return nil }
            guard json[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    private static func skipSpace(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        return i
    }

    /// The index just after the string starting at `start` (a quote).
    private static func skipString(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var i = start + 1
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The index just after the value starting at `start`.
    private static func skipValue(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard start < b.count else { return nil }
        if b[start] == UInt8(ascii: "\"") { return skipString(b, start) }
        if b[start] == UInt8(ascii: "{") || b[start] == UInt8(ascii: "[") {
            var depth = 0
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""):
                    guard let end = skipString(b, i) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            return nil
        }
        var i = start
        while i < b.count, !",}] \t\r\n".utf8.contains(b[i]) { i += 1 }
        return i
    }
}
