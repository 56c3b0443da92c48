import ArgumentParser
import EventStore
import Foundation

/// One stream's row of the benchmark view: what `bench fold` folds each event into, and what
/// `scripts/bench-peers` folds the same log into on every peer, so the results can be compared.
struct BenchViewRow {
    var events = 0
    var lastVersion: UInt64 = 0
    var payloadBytes = 0
}

extension BenchCommand {
    /// `vigil bench fold`: a full replay of the log, folded into an in-memory view.
    struct Fold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay every event into a view (per stream: events, last version, payload bytes).",
            discussion: """
                Reads the log from position 1 in order, as a projection rebuild does, and folds each \
                event into a dictionary keyed by its stream name. Prints the view's totals, which \
                scripts/bench-peers compares across every system it runs.
                """
        )

        @Option(help: ArgumentHelp("The store to replay.", valueName: "DIR"))
        var data: String = "./vigil-data"
        @Flag(help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let store = try DataOptions.parse(["--data", data]).engine(.readOnly).store
            let clock = ContinuousClock()
            let start = clock.now
            var view: [String: BenchViewRow] = [:]
            var count = 0
            try store.scan(from: 1) { event in
                let stream = String(decoding: event.streamBytes, as: UTF8.self)
                let version = event.version
                let size = event.payloadBytes.count
                view[stream, default: BenchViewRow()].fold(version: version, payloadBytes: size)
                count += 1
            }
            let seconds = (clock.now - start).seconds
            report(
                json,
                [
                    ("benchmark", .text("fold")), ("events", .int(count)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(count) / max(seconds, 1e-9)))),
                ] + BenchViewRow.totals(view.values))
        }
    }

    /// `vigil bench streams`: every stream read whole through the stream index.
    struct Streams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every stream of a 'bench append' store, stream-0 to stream-(S-1), whole and in order.",
            discussion: """
                Each stream is read from version 1 to its head through the stream index, as a \
                command handler loads an aggregate; every event is copied out (RecordedEvent) and its \
                version checked to follow the one before.
                """
        )

        @Option(help: ArgumentHelp("The store to read.", valueName: "DIR"))
        var data: String = "./vigil-data"
        @Option(help: "Streams to read: stream-0 up to stream-(S-1), as 'bench append --streams S' wrote them.")
        var streams = 10_000
        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard streams >= 1 else { throw ValidationError("--streams: expected 1 or more, got \(streams)") }
        }

        func run() async throws {
            let store = try DataOptions.parse(["--data", data]).engine(.readOnly).store
            let clock = ContinuousClock()
            let start = clock.now
            var rows: [BenchViewRow] = []
            rows.reserveCapacity(streams)
            var count = 0
            for s in 0..<streams {
                var row = BenchViewRow()
                for event in try store.readStream("stream-\(s)") {
                    guard event.version == row.lastVersion + 1 else {
                        throw CLIError(
                            "stream-\(s): version \(event.version) follows \(row.lastVersion): the stream is not dense")
                    }
                    row.fold(version: event.version, payloadBytes: event.payload.count)
                }
                count += row.events
                if row.events > 0 { rows.append(row) }
            }
            let seconds = (clock.now - start).seconds
            report(
                json,
                [
                    ("benchmark", .text("streams")), ("events", .int(count)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(count) / max(seconds, 1e-9)))),
                ] + BenchViewRow.totals(rows))
        }
    }
}

extension BenchViewRow {
    /// Folds one event of the row's stream.
    mutating func fold(version: UInt64, payloadBytes size: Int) {
        events += 1
        lastVersion = version
        payloadBytes += size
    }

    /// The totals every system's view must agree on: streams, events, the sum of last versions, payload bytes.
    static func totals(_ rows: some Sequence<BenchViewRow>) -> [(String, BenchValue)] {
        var streams = 0
        var events = 0
        var versions: UInt64 = 0
        var bytes = 0
        for row in rows {
            streams += 1
            events += row.events
            versions += row.lastVersion
            bytes += row.payloadBytes
        }
        return [
            ("view_streams", .int(streams)), ("view_events", .int(events)),
            ("view_version_sum", .int(Int(versions))), ("view_payload_bytes", .int(bytes)),
        ]
    }
}
