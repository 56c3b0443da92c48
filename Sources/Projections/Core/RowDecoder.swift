/// Reads rows written by ``RowEncoder``.
public enum RowDecoder {
    /// Decodes a `T` from `bytes`, which must hold exactly one.
    /// A row type with a generated codec (``RowCodable``) takes it.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try decode(T.self, from: bytes, generated: true)
    }

    /// Decodes a `T` by its `Codable` conformance unless `generated` and it has a generated codec.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, generated: Bool) throws -> T {
        let source = RowSource(bytes)
        let value: T
        if generated, let row = T.self as? any RowCodable.Type {
            value = try row.init(row: source) as! T
        } else {
            value = try source.value(T.self)
        }
        guard source.offset == bytes.count else {
            throw RowCodingError("\(T.self): \(bytes.count - source.offset) bytes left over after the row")
        }
        return value
    }

    /// Decodes a `T` from `bytes`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(T.self, from: $0) }
    }
}

/// A row that does not decode: the stored bytes do not match the row type (a projection's row
/// types changed without a new `version`, or the database is damaged).
public struct RowCodingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { "row decoding: \(message)" }
}

/// The bytes being read, and where.
final class RowSource {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inline(__always)
    func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw RowCodingError("truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw RowCodingError("varint too long at byte \(offset)") }
        }
    }

    @inline(__always)
    func signed() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    func string() throws -> String {
        let count = Int(try varint())
        guard count <= bytes.count - offset else { throw RowCodingError("string runs past the row at byte \(offset)") }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }

    func fixed64() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw RowCodingError("truncated at byte \(offset)") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    func count() throws -> Int {
        guard bytes.count - offset >= 4 else { throw RowCodingError("truncated at byte \(offset)") }
        defer { offset += 4 }
        return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type, _ wide: Int64) throws -> I {
        guard let value = I(exactly: wide) else { throw RowCodingError("\(wide) does not fit \(I.self)") }
        return value
    }

    func unsigned<I: FixedWidthInteger>(_ type: I.Type, _ wide: UInt64) throws -> I {
        guard let value = I(exactly: wide) else { throw RowCodingError("\(wide) does not fit \(I.self)") }
        return value
    }

    /// Reads a primitive or an optional, or hands anything else to its own `init(from:)`.
    func value<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self { return unsafeBitCast(try string(), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, try signed()), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try signed(), to: T.self) }
        if T.self == UInt64.self { return unsafeBitCast(try varint(), to: T.self) }
        if T.self == Bool.self {
            switch try byte() {
            case 0: return unsafeBitCast(false, to: T.self)
            case 1: return unsafeBitCast(true, to: T.self)
            case let b: throw RowCodingError("\(b) is not a Bool at byte \(offset - 1)")
            }
        }
        if T.self == Double.self { return unsafeBitCast(Double(bitPattern: try fixed64()), to: T.self) }
        if T.self == Int32.self { return unsafeBitCast(try integer(Int32.self, try signed()), to: T.self) }
        if T.self == UInt32.self { return unsafeBitCast(try unsigned(UInt32.self, try varint()), to: T.self) }
        if T.self == Int16.self { return unsafeBitCast(try integer(Int16.self, try signed()), to: T.self) }
        if T.self == UInt16.self { return unsafeBitCast(try unsigned(UInt16.self, try varint()), to: T.self) }
        if T.self == Int8.self { return unsafeBitCast(try integer(Int8.self, try signed()), to: T.self) }
        if T.self == UInt8.self { return unsafeBitCast(try unsigned(UInt8.self, try varint()), to: T.self) }
        if T.self == UInt.self { return unsafeBitCast(try unsigned(UInt.self, try varint()), to: T.self) }
        if T.self == Float.self {
            let bits = try unsigned(UInt32.self, try fixed64())
            return unsafeBitCast(Float(bitPattern: bits), to: T.self)
        }
        if let optional = T.self as? any RowOptional.Type {
            return try optional.decodeRow(self) as! T
        }
        return try T(from: RowDecoding(source: self))
    }

    func optional<T: Decodable>(_ type: T.Type) throws -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try value(T.self)
        case let b: throw RowCodingError("presence byte \(b) at byte \(offset - 1)")
        }
    }
}

struct RowDecoding: Decoder {
    let source: RowSource
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedRowDecoding<Key>(source: source))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedRowDecoding(source: source) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRowDecoding(source: source) }
}

struct KeyedRowDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let source: RowSource
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { try source.byte() == 0 }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try source.value(T.self) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try source.value(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try source.value(String.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try source.value(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try source.value(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try source.value(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try source.value(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try source.value(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try source.value(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try source.value(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try source.value(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try source.value(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try source.value(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try source.value(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try source.value(UInt64.self) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try source.optional(T.self) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try source.optional(Bool.self) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try source.optional(String.self) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try source.optional(Double.self) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try source.optional(Float.self) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try source.optional(Int.self) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try source.optional(Int8.self) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try source.optional(Int16.self) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try source.optional(Int32.self) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try source.optional(Int64.self) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try source.optional(UInt.self) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try source.optional(UInt8.self) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try source.optional(UInt16.self) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try source.optional(UInt32.self) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try source.optional(UInt64.self) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedRowDecoding<NestedKey>(source: source))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try UnkeyedRowDecoding(source: source)
    }

    func superDecoder() throws -> any Decoder { RowDecoding(source: source) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoding(source: source) }
}

struct UnkeyedRowDecoding: UnkeyedDecodingContainer {
    let source: RowSource
    let count: Int?
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    init(source: RowSource) throws {
        self.source = source
        count = try source.count()
    }

    mutating func decodeNil() throws -> Bool {
        // Only an optional item asks; its presence byte is read by the item itself when present.
        let isNil = source.offset < source.bytes.count && source.bytes[source.offset] == 0
        if isNil {
            source.offset += 1
            currentIndex += 1
        }
        return isNil
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try source.value(T.self)
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool {
        currentIndex += 1
        return try source.value(Bool.self)
    }
    mutating func decode(_ type: String.Type) throws -> String {
        currentIndex += 1
        return try source.value(String.self)
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        currentIndex += 1
        return try source.value(Double.self)
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        currentIndex += 1
        return try source.value(Float.self)
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        currentIndex += 1
        return try source.value(Int.self)
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        currentIndex += 1
        return try source.value(Int8.self)
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        currentIndex += 1
        return try source.value(Int16.self)
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        currentIndex += 1
        return try source.value(Int32.self)
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        currentIndex += 1
        return try source.value(Int64.self)
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
        currentIndex += 1
        return try source.value(UInt.self)
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        currentIndex += 1
        return try source.value(UInt8.self)
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        currentIndex += 1
        return try source.value(UInt16.self)
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        currentIndex += 1
        return try source.value(UInt32.self)
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        currentIndex += 1
        return try source.value(UInt64.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        currentIndex += 1
        return KeyedDecodingContainer(KeyedRowDecoding<NestedKey>(source: source))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try UnkeyedRowDecoding(source: source)
    }

    mutating func superDecoder() throws -> any Decoder { RowDecoding(source: source) }
}

struct SingleRowDecoding: SingleValueDecodingContainer {
    let source: RowSource
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try source.value(T.self) }
    func decode(_ type: Bool.Type) throws -> Bool { try source.value(Bool.self) }
    func decode(_ type: String.Type) throws -> String { try source.value(String.self) }
    func decode(_ type: Double.Type) throws -> Double { try source.value(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try source.value(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try source.value(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try source.value(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try source.value(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try source.value(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try source.value(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try source.value(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try source.value(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try source.value(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try source.value(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try source.value(UInt64.self) }
}
