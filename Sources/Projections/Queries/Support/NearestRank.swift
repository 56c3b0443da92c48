/// Percentiles by nearest rank over integer seconds: the value at position ⌈p·n⌉ of the sorted
/// values (DOMAIN.md). No interpolation, so every replay of the same log reports the same number.
public enum NearestRank {
    /// The `p`-th percentile (0 < p ≤ 1) of `sorted` (ascending), or `nil` when empty.
    public static func percentile(_ p: Double, ofSorted sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        // ⌈p·n⌉ in exact integer arithmetic for the percentages used (p in hundredths).
        let hundredths = Int((p * 100).rounded())
        let rank = max(1, (hundredths * sorted.count + 99) / 100)
        return sorted[min(sorted.count, rank) - 1]
    }
}
