import ArgumentParser
import EventStore
import Foundation

extension BenchCommand {
    /// `vigil bench fold`: a full replay of the log, folded into an in-memory view.
    struct Fold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay every event into a view (per stream: events, last version, payload bytes).",
            discussion: """
                Reads the log from position 1 in order, as a projection rebuild does, and folds each \
                event into a dictionary keyed by its stream name (BenchmarkView). Prints the view's \
                totals, which scripts/bench-peers compares across every system it runs.
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
            var view = BenchmarkView()
            var count = 0
            try store.scan(from: 1) { event in
                try view.fold(event)
                count += 1
            }
            let seconds = (clock.now - start).seconds
            report(
                json,
                [
                    ("benchmark", .text("fold")), ("events", .int(count)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(count) / max(seconds, 1e-9)))),
                ] + view.totals.fields)
        }
    }

    /// `vigil bench streams`: every stream read whole through the stream index.
    struct Streams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every stream of a 'bench append' store, stream-0 to stream-(S-1), whole and in order.",
            discussion: """
                Each stream is read from version 1 to its head through the stream index, as a \
                command handler loads an aggregate; every event is read in place (scanStream: the \
                record checked well formed and the one the index names) and its version checked to \
                follow the one before.
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
            let totals = try BenchmarkView.readEveryStream(of: store, streams: streams)
            let seconds = (clock.now - start).seconds
            report(
                json,
                [
                    ("benchmark", .text("streams")), ("events", .int(totals.events)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(totals.events) / max(seconds, 1e-9)))),
                ] + totals.fields)
        }
    }
}

extension BenchmarkView.Totals {
    /// The totals as `report` fields, named as every peer of scripts/bench-peers prints them.
    var fields: [(String, BenchValue)] {
        [
            ("view_streams", .int(streams)), ("view_events", .int(events)),
            ("view_version_sum", .int(Int(versionSum))), ("view_payload_bytes", .int(payloadBytes)),
        ]
    }
}
