/// Percentiles by nearest rank over integer values: the value at position ⌈n·p/100⌉ of the sorted
/// values (DOMAIN.md). Integer arithmetic and no interpolation, so ⌈0.9·10⌉ is 9 on every machine
/// and every replay of the same log reports the same number. The views and the Board report both
/// use it.
public enum NearestRank {
    /// The `percent`-th percentile (1…100) of `sorted` (ascending), or `nil` when empty.
    public static func percentile<Value: BinaryInteger>(_ percent: Int, ofSorted sorted: [Value]) -> Value? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, (percent * sorted.count + 99) / 100)
        return sorted[min(sorted.count, rank) - 1]
    }
}
