import Synchronization

/// Keeps the aggregates the rules read in memory between commands (or import batches), so a command
/// folds only the events appended to a stream since it was last read instead of the whole stream.
///
/// A working set takes an aggregate out (``take(_:)``), checks and folds the events it admits into
/// it, and puts it back only after its append is durable (``put(_:)``); a refused command or a failed
/// append drops it, and the next reader folds the stream afresh from the log. What is cached is only
/// ever a prefix of a stream's history, and every reader first folds what the log holds beyond it, so
/// the cache can be behind the log but never ahead of it or different from it.
///
/// Bounded: past ``capacity`` aggregates the least recently used go.
public final class AggregateCache: Sendable {
    private struct Entry: Sendable {
        var value: any Aggregate
        var used: UInt64
    }

    private struct Storage: Sendable {
        var entries: [String: Entry] = [:]
        var tick: UInt64 = 0
    }

    private let storage = Mutex(Storage())
    /// The most aggregates kept.
    public let capacity: Int

    /// An empty cache holding up to `capacity` aggregates.
    public init(capacity: Int = 20_000) {
        self.capacity = max(16, capacity)
    }

    /// The cached aggregate of `stream`, removed from the cache.
    func take(_ stream: String) -> (any Aggregate)? {
        storage.withLock { $0.entries.removeValue(forKey: stream)?.value }
    }

    /// The cached aggregate of `stream`, left in the cache.
    func peek(_ stream: String) -> (any Aggregate)? {
        storage.withLock { $0.entries[stream]?.value }
    }

    /// Caches `aggregates` (by stream), each unless a later version is cached already.
    func put(_ aggregates: [String: any Aggregate]) {
        storage.withLock { s in
            for (stream, value) in aggregates {
                s.tick += 1
                if let cached = s.entries[stream], cached.value.version > value.version { continue }
                s.entries[stream] = Entry(value: value, used: s.tick)
            }
            if s.entries.count > capacity {
                // Drop the least recently used tenth, found by sorting the ticks alone (sorting the
                // entries copied every cached aggregate each time an element moved).
                let drop = s.entries.count - capacity * 9 / 10
                var ticks = s.entries.map { (used: $0.value.used, stream: $0.key) }
                ticks.sort { $0.used < $1.used }
                for oldest in ticks.prefix(drop) { s.entries[oldest.stream] = nil }
            }
        }
    }

    /// The number of aggregates cached.
    public var count: Int { storage.withLock { $0.entries.count } }
}
