public import EventStore

/// Intervals (shifts, time off) bucketed by the day they start, with the longest one seen, so the
/// ones covering an instant are found by looking at a few days' buckets instead of every interval
/// ever scheduled: a decision's cost stays the same however long the roster's history.
public struct IntervalIndex<Key: Hashable & Sendable>: Sendable {
    private var buckets: [Int64: [Key]] = [:]
    private var longest: Int64 = 0

    /// An empty index.
    public init() {}

    private static func day(_ t: Timestamp) -> Int64 {
        let seconds = t.microseconds >= 0 ? t.microseconds / 1_000_000 : (t.microseconds - 999_999) / 1_000_000
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// Adds `key`, running from `start` to `end`.
    public mutating func insert(_ key: Key, start: Timestamp, end: Timestamp) {
        buckets[Self.day(start), default: []].append(key)
        longest = max(longest, end.microseconds - start.microseconds)
    }

    /// Removes `key`, which started at `start`.
    public mutating func remove(_ key: Key, start: Timestamp) {
        buckets[Self.day(start)]?.removeAll { $0 == key }
    }

    /// The keys of every interval that started in time to cover `instant` (a superset: check each
    /// one's own start and end), in insertion order within each day, days ascending.
    public func candidates(covering instant: Timestamp) -> [Key] {
        let last = Self.day(instant)
        let first = Self.day(Timestamp(microseconds: instant.microseconds - longest))
        var out: [Key] = []
        var day = first
        while day <= last {
            if let keys = buckets[day] { out.append(contentsOf: keys) }
            day += 1
        }
        return out
    }
}
