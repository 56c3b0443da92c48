/// Percentiles by nearest rank over integer values: the value at position ⌈n·p/100⌉ of the sorted
/// values (DOMAIN.md). Integer arithmetic and no interpolation, so ⌈0.9·10⌉ is 9 on every machine
/// and every replay of the same log reports the same number. The views and the Board report both
/// use it.
public enum NearestRank {
    /// The `percent`-th percentile (1…100) of `sorted` (ascending), or `nil` when empty.
    public static func percentile<Value: BinaryInteger>(_ percent: Int, ofSorted sorted: [Value]) -> Value? {
        guard !sorted.isEmpty else { return nil }
        return sorted[rank(percent, of: sorted.count) - 1]
    }

    /// The `percent`-th percentile of values given by their counts (value → how many times it
    /// occurs), or `nil` when there are none: the same value as ``percentile(_:ofSorted:)`` of the
    /// values listed, without listing them.
    public static func percentile(_ percent: Int, ofCounts counts: [Int: Int]) -> Int? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = rank(percent, of: total)
        var seen = 0
        for (value, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if seen >= rank { return value }
        }
        return nil
    }

    /// The 1-based position of the `percent`-th percentile among `count` sorted values.
    private static func rank(_ percent: Int, of count: Int) -> Int {
        min(count, max(1, (percent * count + 99) / 100))
    }
}
