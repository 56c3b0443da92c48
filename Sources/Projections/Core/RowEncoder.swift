/// The compact binary form views store their rows in: a `Codable` value's fields in declaration
/// order, with no keys and no tags.
///
/// - integers: zigzag LEB128 varints (unsigned ones plain LEB128); `Bool` one byte; `Double` and
///   `Float` their IEEE 754 bits, 8 bytes little-endian; `String` a varint length and UTF-8;
/// - optionals: a presence byte (0 absent, 1 present) then the value;
/// - arrays: a 4-byte little-endian count, then the items.
///
/// It is deterministic — the same value always gives the same bytes, which is what makes a view's
/// digest comparable — as long as rows hold no `Dictionary` or `Set` (their order varies from run
/// to run): rows use sorted arrays instead. Enums with associated values are not supported.
/// Decoding (``RowDecoder``) reads fields back in the same order, so a row type's field order is
/// part of its stored form: change it only with the projection's `version`.
public enum RowEncoder {
    /// The bytes of `value`.
    /// A row type with a generated codec (``RowCodable``) takes it; the bytes are the same.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = RowSink()
        if let row = value as? any RowCodable {
            try row.encodeRow(sink)
        } else {
            try sink.value(value)
        }
        return sink.bytes
    }

    /// What writes values of `type` into a sink: its generated codec (``RowCodable``), found once
    /// here rather than by a cast of every value, or its `Codable` conformance. The bytes are those
    /// of ``encode(_:)``.
    static func encoder<T: Encodable>(for type: T.Type) -> (T, RowSink) throws -> Void {
        guard let codable = type as? any RowCodable.Type else { return { value, sink in try sink.value(value) } }
        func generated<C: RowCodable>(_: C.Type) -> (T, RowSink) throws -> Void {
            { value, sink in
                try withUnsafePointer(to: value) { pointer in
                    try pointer.withMemoryRebound(to: C.self, capacity: 1) { try $0.pointee.encodeRow(sink) }
                }
            }
        }
        return generated(codable)
    }

    /// The bytes of `value` by its `Codable` conformance, even when it has a generated codec (what
    /// the generated codecs are checked against).
    static func encodeCodable<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = RowSink()
        try sink.value(value)
        return sink.bytes
    }
}

/// Where encoded bytes accumulate (shared by nested containers).
///
/// A sink is used by one encoding at a time on one thread, and no access to ``bytes`` overlaps
/// another: the compiler's run-time exclusivity check, which a class's stored property gets at
/// every access, is turned off for it (it was a tenth of encoding a row, one byte appended at a
/// time).
final class RowSink {
    @exclusivity(unchecked) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    @inline(__always)
    func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always)
    func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    func string(_ value: String) {
        var s = value
        s.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a primitive, an optional (presence byte), or hands anything else to its own
    /// `encode(to:)`. Metatype comparisons, not casts: this runs for every field of every row.
    func value<T: Encodable>(_ value: T) throws {
        if T.self == String.self { return string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return signed(Int64(unsafeBitCast(value, to: Int.self))) }
        if T.self == Int64.self { return signed(unsafeBitCast(value, to: Int64.self)) }
        if T.self == UInt64.self { return varint(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == Bool.self { return bytes.append(unsafeBitCast(value, to: Bool.self) ? 1 : 0) }
        if T.self == Double.self { return fixed64(unsafeBitCast(value, to: Double.self).bitPattern) }
        if T.self == Int32.self { return signed(Int64(unsafeBitCast(value, to: Int32.self))) }
        if T.self == UInt32.self { return varint(UInt64(unsafeBitCast(value, to: UInt32.self))) }
        if T.self == Int16.self { return signed(Int64(unsafeBitCast(value, to: Int16.self))) }
        if T.self == UInt16.self { return varint(UInt64(unsafeBitCast(value, to: UInt16.self))) }
        if T.self == Int8.self { return signed(Int64(unsafeBitCast(value, to: Int8.self))) }
        if T.self == UInt8.self { return varint(UInt64(unsafeBitCast(value, to: UInt8.self))) }
        if T.self == UInt.self { return varint(UInt64(unsafeBitCast(value, to: UInt.self))) }
        if T.self == Float.self { return fixed64(UInt64(unsafeBitCast(value, to: Float.self).bitPattern)) }
        if let optional = value as? any RowOptional {
            guard let wrapped = optional.wrappedEncodable else { return bytes.append(0) }
            bytes.append(1)
            return try self.value(wrapped)
        }
        try value.encode(to: RowEncoding(sink: self))
    }
}

/// `Optional`, seen from inside the codec (the presence byte).
protocol RowOptional {
    var wrappedEncodable: (any Encodable)? { get }
    static func decodeRow(_ source: RowSource) throws -> Self
}

extension Optional: RowOptional where Wrapped: Codable {
    var wrappedEncodable: (any Encodable)? { self.map { $0 as any Encodable } }

    static func decodeRow(_ source: RowSource) throws -> Self {
        guard try source.byte() != 0 else { return nil }
        return try source.value(Wrapped.self)
    }
}

struct RowEncoding: Encoder {
    let sink: RowSink
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedRowEncoding(sink: sink))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedRowEncoding(sink: sink) }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleRowEncoding(sink: sink) }
}

struct KeyedRowEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: RowSink
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { sink.bytes.append(0) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try sink.value(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try sink.value(value) }

    // Optionals keep their presence byte (the default implementations would write nothing for nil).
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value) }

    private func present<T: Encodable>(_ value: T?) throws {
        if let value {
            sink.bytes.append(1)
            try sink.value(value)
        } else {
            sink.bytes.append(0)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedRowEncoding<NestedKey>(sink: sink))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedRowEncoding(sink: sink)
    }

    mutating func superEncoder() -> any Encoder { RowEncoding(sink: sink) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RowEncoding(sink: sink) }
}

/// An array: a count, patched as items are added (the container is not told when it ends), then
/// the items. The count takes a fixed 4 bytes so it can be patched in place.
struct UnkeyedRowEncoding: UnkeyedEncodingContainer {
    let sink: RowSink
    let countOffset: Int
    private(set) var count = 0
    var codingPath: [any CodingKey] { [] }

    init(sink: RowSink) {
        self.sink = sink
        countOffset = sink.bytes.count
        sink.bytes.append(contentsOf: [0, 0, 0, 0])
    }

    /// Counts one more item (before it is written: an array nested in it moves the end).
    private mutating func added() {
        count += 1
        let c = UInt32(count)
        for i in 0..<4 { sink.bytes[countOffset + i] = UInt8(truncatingIfNeeded: c >> (8 * UInt32(i))) }
    }

    mutating func encodeNil() throws {
        added()
        sink.bytes.append(0)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Bool) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: String) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Double) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Float) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Int) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Int8) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Int16) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Int32) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: Int64) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: UInt) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: UInt8) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: UInt16) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: UInt32) throws {
        added()
        try sink.value(value)
    }
    mutating func encode(_ value: UInt64) throws {
        added()
        try sink.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        added()
        return KeyedEncodingContainer(KeyedRowEncoding<NestedKey>(sink: sink))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        added()
        return UnkeyedRowEncoding(sink: sink)
    }

    mutating func superEncoder() -> any Encoder { RowEncoding(sink: sink) }
}

struct SingleRowEncoding: SingleValueEncodingContainer {
    let sink: RowSink
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { sink.bytes.append(0) }
    mutating func encode<T: Encodable>(_ value: T) throws { try sink.value(value) }
    mutating func encode(_ value: Bool) throws { try sink.value(value) }
    mutating func encode(_ value: String) throws { try sink.value(value) }
    mutating func encode(_ value: Double) throws { try sink.value(value) }
    mutating func encode(_ value: Float) throws { try sink.value(value) }
    mutating func encode(_ value: Int) throws { try sink.value(value) }
    mutating func encode(_ value: Int8) throws { try sink.value(value) }
    mutating func encode(_ value: Int16) throws { try sink.value(value) }
    mutating func encode(_ value: Int32) throws { try sink.value(value) }
    mutating func encode(_ value: Int64) throws { try sink.value(value) }
    mutating func encode(_ value: UInt) throws { try sink.value(value) }
    mutating func encode(_ value: UInt8) throws { try sink.value(value) }
    mutating func encode(_ value: UInt16) throws { try sink.value(value) }
    mutating func encode(_ value: UInt32) throws { try sink.value(value) }
    mutating func encode(_ value: UInt64) throws { try sink.value(value) }
}
