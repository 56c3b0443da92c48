import Foundation

/// A read-only table from names to values, looked up by the name's UTF-8 bytes where they lie (a
/// stored record's type name), without making a `String` of them first.
///
/// Open addressing, a power-of-two size at least twice the entries; a hit is confirmed byte for
/// byte, so two names whose hashes collide are still told apart. Every name's bytes lie in one
/// buffer, and a lookup reads the table through its buffers, retaining nothing but the value it
/// returns: every event a fold reads is looked up here.
struct ByteKeyedTable<Value: Sendable>: Sendable {
    /// Each slot's hash (0: empty; a name's hash is never 0).
    private let hashes: [UInt64]
    /// Each slot's name, as a range of `names`.
    private let spans: [(start: Int, count: Int)]
    private let values: [Value?]
    private let names: [UInt8]
    private let mask: Int

    /// A table of `entries`.
    init(_ entries: [String: Value]) {
        var size = 8
        while size < entries.count * 2 { size *= 2 }
        var hashes = [UInt64](repeating: 0, count: size)
        var spans = [(start: Int, count: Int)](repeating: (0, 0), count: size)
        var values = [Value?](repeating: nil, count: size)
        var names: [UInt8] = []
        // In name order, so the layout does not depend on the dictionary's.
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(name.utf8)
            let hash = bytes.withUnsafeBytes { Self.hash($0) }
            var i = Int(truncatingIfNeeded: hash) & (size - 1)
            while hashes[i] != 0 { i = (i + 1) & (size - 1) }
            hashes[i] = hash
            spans[i] = (names.count, bytes.count)
            values[i] = value
            names += bytes
        }
        self.hashes = hashes
        self.spans = spans
        self.values = values
        self.names = names
        mask = size - 1
    }

    /// The value of the name spelled by `bytes`, or `nil`.
    @inline(__always)
    func value(_ bytes: UnsafeRawBufferPointer) -> Value? {
        let hash = Self.hash(bytes)
        return hashes.withUnsafeBufferPointer { hashes in
            var i = Int(truncatingIfNeeded: hash) & mask
            while hashes[i] != 0 {
                if hashes[i] == hash, matches(i, bytes) { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    @inline(__always)
    private func matches(_ slot: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        spans.withUnsafeBufferPointer { spans in
            let span = spans[slot]
            guard span.count == bytes.count else { return false }
            guard span.count > 0, let base = bytes.baseAddress else { return true }
            return names.withUnsafeBufferPointer { names in
                memcmp(names.baseAddress! + span.start, base, span.count) == 0
            }
        }
    }

    /// A 64-bit hash of a short name, never 0: its length and its first and last eight bytes (or
    /// every byte of a shorter one), mixed. Names of one catalog differ there; those that would
    /// not only probe a slot further.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        if count >= 8 {
            h ^= bytes.loadUnaligned(as: UInt64.self)
            h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
            h ^= bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else {
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        h = (h ^ (h >> 30)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        return h == 0 ? 1 : h
    }
}
