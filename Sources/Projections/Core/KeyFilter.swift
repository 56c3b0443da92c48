/// A Bloom filter over row keys, in a fixed size: whether a key may have been added — never "no"
/// for one that was, sometimes "maybe" for one that was not (more often the more keys it holds).
///
/// A ``RowTable`` over a backend that started empty adds the keys of the rows it forgets, so a row
/// it neither caches nor may have forgotten is known to be absent without a look at the database:
/// a rebuild's new shift, case or index key costs a few bit tests, not a read transaction.
struct KeyFilter {
    private var words: [UInt64]
    private let mask: UInt64

    /// Hash functions per key.
    private static let probes: UInt64 = 4

    /// A filter of `2^log2Bits` bits (the default, 2^22, is 512 KiB: under 1% "maybe" for 350,000
    /// keys).
    init(log2Bits: Int = 22) {
        words = Array(repeating: 0, count: (1 << log2Bits) / 64)
        mask = (1 << UInt64(log2Bits)) - 1
    }

    /// Adds `key`.
    mutating func insert(_ key: String) {
        var (bit, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let index = bit & mask
            words[Int(index >> 6)] |= 1 << (index & 63)
            bit &+= step
        }
    }

    /// Whether `key` may have been added.
    func mayContain(_ key: String) -> Bool {
        var (bit, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let index = bit & mask
            if words[Int(index >> 6)] & (1 << (index & 63)) == 0 { return false }
            bit &+= step
        }
        return true
    }

    /// Two hashes of `key` (double hashing: probe i is `first + i × step`).
    private static func hashes(_ key: String) -> (UInt64, UInt64) {
        var hasher = Hasher()
        hasher.combine(key)
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return (value, (value >> 32) | (value << 32) | 1)
    }
}
