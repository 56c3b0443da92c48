/// A row type with a generated codec (scripts/generate-row-codecs, Generated/RowCodecs.swift).
///
/// It writes and reads exactly the bytes of the `Codable` path of ``RowEncoder`` and
/// ``RowDecoder`` — so stored views and their digests are the same either way — but straight from
/// the stored properties, without the generic containers and the metadata lookups on every field.
/// ``RowEncoder/encode(_:)`` and ``RowDecoder/decode(_:from:)-(_,UnsafeRawBufferPointer)`` take it
/// when a row type has one.
protocol RowCodable {
    /// Writes the row's fields in declaration order.
    func encodeRow(_ sink: RowSink) throws
    /// Reads a row written by ``encodeRow(_:)``.
    init(row source: RowSource) throws
}

extension RowSink {
    /// A boolean byte.
    @inline(__always)
    func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// An array's count: 4 bytes, little-endian (as the `Codable` path writes it, patched in place).
    @inline(__always)
    func count(_ count: Int) {
        let c = UInt32(truncatingIfNeeded: count)
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: c >> (8 * UInt32(i)))) }
    }
}

extension RowSource {
    /// A boolean byte (0 or 1).
    @inline(__always)
    func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let b: throw RowCodingError("\(b) is not a Bool at byte \(offset - 1)")
        }
    }

    /// An optional's presence byte (any byte but 0 is present, as the `Codable` path reads it).
    @inline(__always)
    func present() throws -> Bool { try byte() != 0 }

    /// An array: its count, then each item read by `item`.
    @inline(__always)
    func array<T>(_ item: () throws -> T) throws -> [T] {
        let n = try count()
        // Every item takes at least one byte: a count beyond the bytes left is damage, not a size.
        guard n <= bytes.count - offset else {
            throw RowCodingError("array of \(n) runs past the row at byte \(offset)")
        }
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try item()) }
        return items
    }
}
