/// A small JSON writer: deterministic key order (the order written) and exact escaping, for the
/// export and acknowledgement lines. Foundation's encoders are far slower and reorder nothing.
public struct JSONWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    /// An empty writer.
    public init() { bytes.reserveCapacity(512) }

    /// The output as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object (as a value).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// Closes the current object.
    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens an array (as a value).
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    /// Closes the current array.
    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":` inside an object; the next call writes the value.
    public mutating func key(_ key: String) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
        pendingValue = true
    }

    private var pendingValue = false

    /// A string value.
    public mutating func string(_ value: String) {
        separate()
        appendString(value)
    }

    /// An integer value.
    public mutating func number<T: BinaryInteger>(_ value: T) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A floating-point value (finite).
    public mutating func number(_ value: Double) {
        separate()
        bytes.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
    }

    /// A boolean value.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Already-serialised JSON, written as is.
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// `"key": "value"`.
    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    /// `"key": number`.
    public mutating func field<T: BinaryInteger>(_ key: String, _ value: T) {
        self.key(key)
        number(value)
    }

    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            needsComma[needsComma.count - 1] = true
            return
        }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendString(_ s: String) {
        var s = s
        // The string's UTF-8 in place (a native string's own storage), scanned once as bytes.
        s.withUTF8 { utf8 in appendString(utf8: utf8) }
    }

    private mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (ids, codes, times) need no escape: copied whole.
        var clean = true
        for c in utf8 where c < 32 || c == 127 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32, 127:
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, Hex.digit(c >> 4), Hex.digit(c)])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
