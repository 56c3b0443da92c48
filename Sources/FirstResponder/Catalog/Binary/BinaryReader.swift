public import EventStore

/// Reads the catalog's binary payload encoding (see ``BinaryWriter``). It borrows `bytes`: use it
/// only while they are valid (inside the read transaction or `withUnsafeBytes` closure that gave
/// them).
public struct BinaryReader {
    /// The payload.
    public let bytes: UnsafeRawBufferPointer
    /// Where the next read starts.
    public private(set) var offset = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Fails unless every byte has been read.
    public func expectEnd() throws(DomainValidationError) {
        guard isAtEnd else { throw malformed("\(bytes.count - offset) trailing bytes after the payload") }
    }

    func malformed(_ message: String) -> DomainValidationError {
        DomainValidationError(.malformedBinary, "binary payload: \(message) (at byte \(offset))")
    }

    /// An unsigned LEB128 varint, shortest form.
    @inline(__always)
    public mutating func varint() throws(DomainValidationError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw malformed("truncated varint") }
            let b = bytes[offset]
            offset += 1
            if shift == 63 && b > 1 { throw malformed("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 { throw malformed("varint not in its shortest form") }
                return result
            }
            shift += 7
        }
    }

    /// A non-negative integer.
    @inline(__always)
    public mutating func unsigned() throws(DomainValidationError) -> Int {
        let v = try varint()
        guard v <= UInt64(Int.max) else { throw malformed("integer out of range") }
        return Int(v)
    }

    /// A zigzag signed integer.
    @inline(__always)
    public mutating func signed() throws(DomainValidationError) -> Int {
        let v = try varint()
        return Int(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
    }

    /// A binary64.
    @inline(__always)
    public mutating func double() throws(DomainValidationError) -> Double {
        Double(bitPattern: try fixed64())
    }

    /// A boolean byte.
    @inline(__always)
    public mutating func bool() throws(DomainValidationError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw malformed("boolean byte is neither 0 nor 1")
        }
    }

    /// One raw byte.
    @inline(__always)
    public mutating func byte() throws(DomainValidationError) -> UInt8 {
        guard offset < bytes.count else { throw malformed("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A presence byte: `false` for absent, `true` for present.
    @inline(__always)
    public mutating func presence() throws(DomainValidationError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw malformed("presence byte is neither 0 nor 1")
        }
    }

    /// A presence byte of a nullable field: 0 absent, 1 present, 2 null.
    @inline(__always)
    public mutating func nullablePresence() throws(DomainValidationError) -> UInt8 {
        let b = try byte()
        guard b <= 2 else { throw malformed("presence byte of a nullable field is not 0, 1 or 2") }
        return b
    }

    /// A length-prefixed UTF-8 string.
    @inline(__always)
    public mutating func string() throws(DomainValidationError) -> String {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw malformed("string longer than the payload") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(length))])
        guard let s = UTF8Text.string(slice) else { throw malformed("invalid UTF-8") }
        offset += Int(length)
        return s
    }

    /// A timestamp.
    @inline(__always)
    public mutating func timestamp() throws(DomainValidationError) -> Timestamp {
        Timestamp(microseconds: Int64(bitPattern: try fixed64()))
    }

    /// An array count, checked against the bytes left (every item takes at least one byte).
    @inline(__always)
    public mutating func count() throws(DomainValidationError) -> Int {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) else { throw malformed("count larger than the payload") }
        return Int(n)
    }

    @inline(__always)
    private mutating func fixed64() throws(DomainValidationError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw malformed("truncated") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
