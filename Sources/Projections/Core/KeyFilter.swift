/// The keys a table forgot from its cache, as a Bloom filter of fixed size: whether a key *may* be
/// among them (sometimes yes when it is not), never a no when it is. A table over a backend that
/// started empty (a rebuild's shadow, an as-of's scratch) asks it before the backend: a key it
/// never forgot was never stored, so the table knows the row is absent without a read transaction
/// (``RowTable``). A roster rebuild asked LMDB for every new shift id once its cache had forgotten
/// rows — a tenth of its lane.
///
/// 2^21 bits (256 KiB) and four probes: one key in 3,000 answers "may" wrongly at 74,000 keys, one
/// in 15 at 370,000 (the shifts of a county simulated at 5M events); a wrong "may" costs only the
/// read the table made before.
struct KeyFilter {
    private static let bits = 1 << 21
    private static let probes = 4
    private var words = [UInt64](repeating: 0, count: bits / 64)

    mutating func insert(_ key: String) {
        let (start, step) = Self.hashes(key)
        words.withUnsafeMutableBufferPointer { words in
            var hash = start
            for _ in 0..<Self.probes {
                let bit = Int(hash & UInt64(Self.bits - 1))
                words[bit >> 6] |= 1 << UInt64(bit & 63)
                hash &+= step
            }
        }
    }

    func mayContain(_ key: String) -> Bool {
        let (start, step) = Self.hashes(key)
        return words.withUnsafeBufferPointer { words in
            var hash = start
            for _ in 0..<Self.probes {
                let bit = Int(hash & UInt64(Self.bits - 1))
                if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
                hash &+= step
            }
            return true
        }
    }

    /// Two hashes of the key's UTF-8 (FNV-1a, and its high half made odd) for double hashing.
    private static func hashes(_ key: String) -> (UInt64, UInt64) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (hash, (hash >> 29 | hash << 35) | 1)
    }
}
