import FirstResponder
import Foundation

/// One pass over a JSON document's UTF-8 bytes (RFC 8259): every value is checked, and only what
/// the caller asks for is built (a string, an integer, a UUID); the rest is skipped.
struct JSONScanner {
    /// The bytes are not the JSON the caller expected.
    struct Malformed: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Reads the one value of the document with `value`, then checks nothing but whitespace follows.
    mutating func document<T>(_ value: (inout JSONScanner) throws(Malformed) -> T) throws(Malformed) -> T {
        let result = try value(&self)
        skipWhitespace()
        guard index == bytes.count else { throw Malformed() }
        return result
    }

    /// Whether the next value is a string.
    var atString: Bool {
        mutating get {
            skipWhitespace()
            return index < bytes.count && bytes[index] == UInt8(ascii: "\"")
        }
    }

    /// An object: `member` is called with each key and must read (or skip) its value.
    mutating func object(_ member: (inout JSONScanner, String) throws(Malformed) -> Void) throws(Malformed) {
        try open(UInt8(ascii: "{"))
        if try close(UInt8(ascii: "}")) { return }
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while try next(UInt8(ascii: "}"))
        depth -= 1
    }

    /// An array: `element` is called for each element and must read (or skip) it.
    mutating func array(_ element: (inout JSONScanner) throws(Malformed) -> Void) throws(Malformed) {
        try open(UInt8(ascii: "["))
        if try close(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while try next(UInt8(ascii: "]"))
        depth -= 1
    }

    /// A string, its escapes decoded.
    mutating func string() throws(Malformed) -> String {
        let (start, end, escaped) = try stringBounds()
        guard escaped else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
        return try Self.unescape(UnsafeBufferPointer(rebasing: bytes[(start - 1)...end]))
    }

    /// A UUID in its 36-character text form (either case).
    mutating func uuid() throws(Malformed) -> UUID {
        let (start, end, escaped) = try stringBounds()
        guard !escaped, end - start == 36 else { throw Malformed() }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &uuid) { (out) throws(Malformed) in
            var i = start
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 {
                    guard bytes[i] == UInt8(ascii: "-") else { throw Malformed() }
                    i += 1
                }
                guard let high = Self.hex(bytes[i]), let low = Self.hex(bytes[i + 1]) else { throw Malformed() }
                out[k] = high << 4 | low
                i += 2
            }
        }
        return UUID(uuid: uuid)
    }

    /// A non-negative integer (no fraction, no exponent) that fits 64 bits.
    mutating func unsignedInteger() throws(Malformed) -> UInt64 {
        skipWhitespace()
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw Malformed() }
            value = sum
            index += 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw Malformed() }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw Malformed()
        }
        return value
    }

    /// Any value, checked and not kept.
    mutating func skipValue() throws(Malformed) {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed() }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object { (scanner, _) throws(Malformed) in try scanner.skipValue() }
        case UInt8(ascii: "["): try array { (scanner) throws(Malformed) in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try stringBounds()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    // MARK: - Pieces

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw Malformed() }
        index += 1
    }

    private mutating func open(_ byte: UInt8) throws(Malformed) {
        try expect(byte)
        depth += 1
        guard depth <= 64 else { throw Malformed() }
    }

    /// After an opening bracket: whether the container closes at once (empty).
    private mutating func close(_ byte: UInt8) throws(Malformed) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or element: `true` at a comma (another follows), `false` at the closing bracket.
    private mutating func next(_ closing: UInt8) throws(Malformed) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed() }
        index += 1
        if bytes[index - 1] == UInt8(ascii: ",") { return true }
        guard bytes[index - 1] == closing else { throw Malformed() }
        return false
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Malformed() }
        for k in 0..<count where bytes[index + k] != word.utf8Start[k] { throw Malformed() }
        index += count
    }

    private mutating func number() throws(Malformed) {
        func digits(_ scanner: inout JSONScanner) -> Int {
            let start = scanner.index
            while scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] >= UInt8(ascii: "0"),
                scanner.bytes[scanner.index] <= UInt8(ascii: "9")
            {
                scanner.index += 1
            }
            return scanner.index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        let whole = digits(&self)
        guard whole > 0, whole == 1 || bytes[start] != UInt8(ascii: "0") else { throw Malformed() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw Malformed() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else { throw Malformed() }
        }
    }

    /// A string's content between its quotes, and whether it holds escapes; checked (no control
    /// characters, only JSON's escapes), the scanner after its closing quote.
    private mutating func stringBounds() throws(Malformed) -> (start: Int, end: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1, escaped)
            }
            guard byte >= 0x20 else { throw Malformed() }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard index + 1 < bytes.count else { throw Malformed() }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.hex(bytes[index + $0]) != nil }) else {
                        throw Malformed()
                    }
                    index += 6
                default: throw Malformed()
                }
            } else {
                index += 1
            }
        }
        throw Malformed()
    }

    /// A checked string with escapes, its quotes included, decoded by the catalog's parser (the one
    /// place JSON escapes are decoded; the daemon escapes little, so this is the rare path).
    private static func unescape(_ quoted: UnsafeBufferPointer<UInt8>) throws(Malformed) -> String {
        guard case .string(let text)? = try? JSONValue(parsing: UnsafeRawBufferPointer(quoted)) else {
            throw Malformed()
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
