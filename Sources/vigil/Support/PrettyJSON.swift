/// Indents compact JSON text for people: two spaces a level, one member or element a line, keys in
/// the order they came, every string and number byte for byte as it was. Empty objects and arrays
/// stay `{}` and `[]`. The input must be valid JSON (as the log's own export lines are).
enum PrettyJSON {
    static func format(_ json: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(json.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        var i = 0
        func newline() {
            out.append(10)
            out.append(contentsOf: repeatElement(32, count: depth * 2))
        }
        while i < json.count {
            let c = json[i]
            defer { i += 1 }
            if inString {
                out.append(c)
                if escaped {
                    escaped = false
                } else if c == 0x5C {  // backslash
                    escaped = true
                } else if c == 0x22 {
                    inString = false
                }
                continue
            }
            switch c {
            case 0x22:
                inString = true
                out.append(c)
            case 0x7B, 0x5B:  // { [
                out.append(c)
                // Skip whitespace to see whether it is empty.
                var j = i + 1
                while j < json.count, isSpace(json[j]) { j += 1 }
                if j < json.count, json[j] == (c == 0x7B ? 0x7D : 0x5D) {
                    out.append(json[j])
                    i = j
                } else {
                    depth += 1
                    newline()
                }
            case 0x7D, 0x5D:  // } ]
                depth -= 1
                newline()
                out.append(c)
            case 0x2C:  // ,
                out.append(c)
                newline()
            case 0x3A:  // :
                out.append(contentsOf: [0x3A, 32])
            default:
                if !isSpace(c) { out.append(c) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
}
