/// The view the benchmarks fold the log into (`vigil bench fold`, `vigil bench streams`, the
/// callgrind harness, and every peer of `scripts/bench-peers`): per stream, its events, its last
/// version and its payload bytes. Versions must come dense, so a replay that skipped or repeated an
/// event cannot pass for a fast one.
public struct BenchmarkView: Sendable {
    /// One stream's row.
    public struct Row: Sendable {
        /// Events folded.
        public var events = 0
        /// The last version folded.
        public var lastVersion: UInt64 = 0
        /// Payload bytes folded.
        public var payloadBytes = 0

        /// An empty row.
        public init() {}

        /// Folds the stream's next event; throws when `version` does not follow the last one.
        public mutating func fold(version: UInt64, payloadBytes size: Int) throws(BenchmarkView.NotDense) {
            guard version == lastVersion &+ 1 else { throw NotDense(version: version, previous: lastVersion) }
            events += 1
            lastVersion = version
            payloadBytes += size
        }
    }

    /// A stream whose versions skip or repeat.
    public struct NotDense: Error, CustomStringConvertible {
        /// The version read.
        public let version: UInt64
        /// The version before it.
        public let previous: UInt64
        /// What went wrong.
        public var description: String { "version \(version) follows \(previous): the stream is not dense" }
    }

    /// The totals every system's view must agree on.
    public struct Totals: Sendable, Equatable {
        /// Streams with at least one event.
        public var streams = 0
        /// Events.
        public var events = 0
        /// The sum of every stream's last version (equals `events` when every stream is dense from 1).
        public var versionSum: UInt64 = 0
        /// Payload bytes.
        public var payloadBytes = 0

        /// Totals of `rows`.
        public init(_ rows: some Sequence<Row>) {
            for row in rows where row.events > 0 {
                streams += 1
                events += row.events
                versionSum += row.lastVersion
                payloadBytes += row.payloadBytes
            }
        }
    }

    /// The rows, by stream name.
    public private(set) var rows: [String: Row] = [:]

    /// An empty view.
    public init() {}

    /// Folds one event, read in place.
    public mutating func fold(_ event: EventView) throws {
        let stream = String(decoding: event.streamBytes, as: UTF8.self)
        do {
            try rows[stream, default: Row()].fold(version: event.version, payloadBytes: event.payloadBytes.count)
        } catch {
            throw EventStoreError(.corrupted, "stream '\(stream)': \(error)")
        }
    }

    /// The view's totals.
    public var totals: Totals { Totals(rows.values) }
}
