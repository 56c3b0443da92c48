public import EventStore

/// A set of instants kept as sorted, disjoint half-open spans `[start, end)`: the instants some
/// forgotten shift covered. Adjacent and overlapping spans merge, so a roster's years of back-to-back
/// shifts take a few spans, not one per shift.
struct Spans {
    private var starts: [Int64] = []
    private var ends: [Int64] = []

    /// How many disjoint spans it holds.
    var count: Int { starts.count }

    /// Adds `spans`.
    mutating func insert(_ spans: [(start: Timestamp, end: Timestamp)]) {
        guard !spans.isEmpty else { return }
        var all = zip(starts, ends).map { ($0, $1) }
        all.append(
            contentsOf: spans.compactMap { $0.start < $0.end ? ($0.start.microseconds, $0.end.microseconds) : nil })
        all.sort { $0.0 < $1.0 }
        var mergedStarts: [Int64] = []
        var mergedEnds: [Int64] = []
        for (start, end) in all {
            if let last = mergedEnds.last, start <= last {
                mergedEnds[mergedEnds.count - 1] = max(last, end)
            } else {
                mergedStarts.append(start)
                mergedEnds.append(end)
            }
        }
        starts = mergedStarts
        ends = mergedEnds
    }

    /// Whether some span holds `instant`.
    func contains(_ instant: Timestamp) -> Bool {
        let t = instant.microseconds
        // The last span starting at or before `t`.
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low > 0 && t < ends[low - 1]
    }
}
