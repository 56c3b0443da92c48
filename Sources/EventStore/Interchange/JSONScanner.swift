import struct Foundation.UUID
import typealias Foundation.uuid_t

/// A strict, allocation-light reader of one JSON object's top level (RFC 8259): it checks the whole
/// text — every nested value, string escape, number and the UTF-8 — and hands out each member's key
/// and where its value lies, without building a tree. The interchange reads envelope fields from it
/// and keeps `data` and `metadata` as the exact bytes they were written as, which is what a restore
/// needs (the chain hashes those bytes) and what makes it fast.
struct JSONScanner {
    /// A member of the top-level object: where its key (quotes included) and its value lie.
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
    }

    /// Why the text is not a JSON object.
    struct Malformed: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset + 1)" }
    }

    /// The deepest nesting accepted (deeper is refused, not recursed into).
    static let maxDepth = 512

    private let b: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { b = bytes }

    /// The top-level object's members, in order. Throws at the first byte that is not JSON.
    func members() throws(Malformed) -> [Member] {
        var i = skipSpace(0)
        guard i < b.count, b[i] == UInt8(ascii: "{") else {
            throw Malformed(message: "expected a JSON object", offset: i)
        }
        var members: [Member] = []
        i = skipSpace(i + 1)
        if i < b.count, b[i] == UInt8(ascii: "}") {
            try end(i + 1)
            return members
        }
        while true {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Malformed(message: "expected a key", offset: i) }
            let keyEnd = try skipString(i)
            let key = i..<keyEnd
            i = skipSpace(keyEnd)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Malformed(message: "expected ':'", offset: i) }
            let start = skipSpace(i + 1)
            let valueEnd = try skipValue(start, depth: 1)
            members.append(Member(key: key, value: start..<valueEnd))
            i = skipSpace(valueEnd)
            guard i < b.count else { throw Malformed(message: "unterminated object", offset: i) }
            if b[i] == UInt8(ascii: "}") {
                try end(i + 1)
                return members
            }
            guard b[i] == UInt8(ascii: ",") else { throw Malformed(message: "expected ',' or '}'", offset: i) }
            i = skipSpace(i + 1)
        }
    }

    // MARK: - Values

    /// Whether the string at `range` (quotes included) is exactly `text`, written without escapes.
    func string(_ range: Range<Int>, equals text: [UInt8]) -> Bool {
        range.count == text.count + 2
            && UnsafeRawBufferPointer(rebasing: b[(range.lowerBound + 1)..<(range.upperBound - 1)]).elementsEqual(text)
    }

    /// The 16 bytes of the UUID written at `range` (a string of 36 hex digits and dashes, 8-4-4-4-12),
    /// or `nil`.
    func uuid(_ range: Range<Int>) -> UUID? {
        guard range.count == 38, b[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &value) { out -> Bool in
            var i = range.lowerBound + 1
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 {
                    guard b[i] == UInt8(ascii: "-") else { return false }
                    i += 1
                }
                guard let hi = hexValue(b[i]), let lo = hexValue(b[i + 1]) else { return false }
                out[k] = hi << 4 | lo
                i += 2
            }
            return true
        }
        return ok ? UUID(uuid: value) : nil
    }

    /// The value at `range` as a string, if it is one (escapes decoded).
    func string(_ range: Range<Int>) throws(Malformed) -> String {
        guard range.count >= 2, b[range.lowerBound] == UInt8(ascii: "\"") else {
            throw Malformed(message: "expected a string", offset: range.lowerBound)
        }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        // Without escapes (the usual case) the bytes are the string; they were checked as UTF-8.
        guard b[inner].contains(UInt8(ascii: "\\")) else {
            return String(decoding: UnsafeRawBufferPointer(rebasing: b[inner]), as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var i = inner.lowerBound
        while i < inner.upperBound {
            let c = b[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            default:  // u, checked by skipString
                var scalar = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(i + 2) - 0xDC00)
                    i += 6
                }
                appendUTF8(UInt32(scalar), to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value at `range` as an integer, if it is a number with an integral value below 2⁵³
    /// (`3`, `3.0` and `3e0` alike, as JSON readers take them).
    func integer(_ range: Range<Int>) -> Int? {
        guard let first = range.first, b[first] == UInt8(ascii: "-") || (48...57).contains(b[first]) else {
            return nil
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: b[range]), as: UTF8.self)
        if let n = Int(text) { return abs(n) < 1 << 53 ? n : nil }
        guard let d = Double(text), d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    /// Whether the value at `range` starts with `byte` (`{`, `[`, `"`, `t`, …).
    func starts(_ range: Range<Int>, with byte: UInt8) -> Bool {
        range.first.map { b[$0] == byte } ?? false
    }

    // MARK: - Checking

    private func end(_ after: Int) throws(Malformed) {
        let i = skipSpace(after)
        guard i == b.count else { throw Malformed(message: "text after the object", offset: i) }
    }

    private func skipSpace(_ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        return i
    }

    /// The index just after the value starting at `start`, which must be well formed.
    private func skipValue(_ start: Int, depth: Int) throws(Malformed) -> Int {
        guard start < b.count else { throw Malformed(message: "expected a value", offset: start) }
        switch b[start] {
        case UInt8(ascii: "\""): return try skipString(start)
        case UInt8(ascii: "{"), UInt8(ascii: "["): return try skipContainer(start, depth: depth + 1)
        case UInt8(ascii: "t"): return try literal("true", start)
        case UInt8(ascii: "f"): return try literal("false", start)
        case UInt8(ascii: "n"): return try literal("null", start)
        default: return try skipNumber(start)
        }
    }

    private func skipContainer(_ start: Int, depth: Int) throws(Malformed) -> Int {
        guard depth <= Self.maxDepth else {
            throw Malformed(message: "nested deeper than \(Self.maxDepth)", offset: start)
        }
        let isObject = b[start] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var i = skipSpace(start + 1)
        if i < b.count, b[i] == close { return i + 1 }
        while true {
            if isObject {
                guard i < b.count, b[i] == UInt8(ascii: "\"") else {
                    throw Malformed(message: "expected a key", offset: i)
                }
                i = skipSpace(try skipString(i))
                guard i < b.count, b[i] == UInt8(ascii: ":") else {
                    throw Malformed(message: "expected ':'", offset: i)
                }
                i = skipSpace(i + 1)
            }
            i = skipSpace(try skipValue(i, depth: depth))
            guard i < b.count else {
                throw Malformed(message: "unterminated \(isObject ? "object" : "array")", offset: i)
            }
            if b[i] == close { return i + 1 }
            guard b[i] == UInt8(ascii: ",") else {
                throw Malformed(message: "expected ',' or '\(Character(UnicodeScalar(close)))'", offset: i)
            }
            i = skipSpace(i + 1)
        }
    }

    private func literal(_ word: StaticString, _ start: Int) throws(Malformed) -> Int {
        let n = word.utf8CodeUnitCount
        guard start + n <= b.count,
            UnsafeRawBufferPointer(rebasing: b[start..<(start + n)]).elementsEqual(
                UnsafeRawBufferPointer(start: word.utf8Start, count: n))
        else { throw Malformed(message: "unexpected character", offset: start) }
        return start + n
    }

    private func skipNumber(_ start: Int) throws(Malformed) -> Int {
        var i = start
        func digits() -> Int {
            let from = i
            while i < b.count, (48...57).contains(b[i]) { i += 1 }
            return i - from
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, (48...57).contains(b[i]) else { throw Malformed(message: "unexpected character", offset: i) }
        if b[i] == 48 { i += 1 } else { _ = digits() }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw Malformed(message: "expected a digit", offset: i) }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw Malformed(message: "expected a digit", offset: i) }
        }
        return i
    }

    /// The index just after the string starting at `start` (a quote): escapes and UTF-8 checked,
    /// no raw control characters.
    private func skipString(_ start: Int) throws(Malformed) -> Int {
        var i = start + 1
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""): return i + 1
            case UInt8(ascii: "\\"):
                // A backslash as the last byte: the string never ends. (`break` here would leave only the
                // switch, not the loop, with `i` unchanged: found by fuzz-import-line as a hang.)
                guard i + 1 < b.count else { throw Malformed(message: "unterminated string", offset: start) }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= b.count, isHex4(i + 2) else { throw Malformed(message: "bad \\u escape", offset: i) }
                    let unit = hex4(i + 2)
                    i += 6
                    if (0xD800..<0xDC00).contains(unit) {
                        guard i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u"),
                            isHex4(i + 2), (0xDC00..<0xE000).contains(hex4(i + 2))
                        else { throw Malformed(message: "lone surrogate in a \\u escape", offset: i - 6) }
                        i += 6
                    } else if (0xDC00..<0xE000).contains(unit) {
                        throw Malformed(message: "lone surrogate in a \\u escape", offset: i - 6)
                    }
                default: throw Malformed(message: "bad escape", offset: i)
                }
            case 0..<0x20: throw Malformed(message: "control character in a string", offset: i)
            case 0x20..<0x80: i += 1
            default: i = try skipUTF8(i)
            }
        }
        throw Malformed(message: "unterminated string", offset: start)
    }

    /// One multi-byte UTF-8 sequence starting at `i` (well formed: no overlongs, no surrogates).
    private func skipUTF8(_ i: Int) throws(Malformed) -> Int {
        let c = b[i]
        let (count, low, high): (Int, UInt8, UInt8) =
            switch c {
            case 0xC2...0xDF: (2, 0x80, 0xBF)
            case 0xE0: (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
            case 0xED: (3, 0x80, 0x9F)
            case 0xF0: (4, 0x90, 0xBF)
            case 0xF1...0xF3: (4, 0x80, 0xBF)
            case 0xF4: (4, 0x80, 0x8F)
            default: (0, 0, 0)
            }
        guard count > 0, i + count <= b.count, (low...high).contains(b[i + 1]) else {
            throw Malformed(message: "not UTF-8", offset: i)
        }
        for k in 2..<max(2, count) where !(0x80...0xBF).contains(b[i + k]) {
            throw Malformed(message: "not UTF-8", offset: i)
        }
        return i + count
    }

    private func isHex4(_ i: Int) -> Bool {
        (i..<(i + 4)).allSatisfy { hexValue(b[$0]) != nil }
    }

    private func hex4(_ i: Int) -> Int {
        (i..<(i + 4)).reduce(0) { $0 << 4 | Int(hexValue(b[$1]) ?? 0) }
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
