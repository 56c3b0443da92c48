import ArgumentParser
import EventStore
import FirstResponder
import Projections
import Replay
import VigilEngine

/// `vigil replay rebuild|as-of`.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild the views from the log, or see any view as it stood at a past moment.",
        subcommands: [Rebuild.self, AsOfCommand.self]
    )

    /// `vigil replay rebuild [--view NAME]…`.
    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild views from the whole log into shadow databases, swapped in at once.",
            discussion: """
                Readers keep reading the old views until the new ones are complete. Prints each view's \
                digest (SHA-256 over its rows in key order and its checkpoint): two rebuilds of the same log, \
                or a rebuild and the live view it replaces, give the same digest — each line says whether \
                the live view matched.
                """
        )

        @OptionGroup var store: DataOptions

        @Option(
            name: .customLong("view"),
            help: ArgumentHelp("Only this view or projection (repeat for several); all by default.", valueName: "NAME"))
        var views: [String] = []

        @Option(
            help: ArgumentHelp(
                "Threads to fold on, each with its share of the views (1 to 64); one per processor by default. "
                    + "The digests are the same whatever the number.", valueName: "N"))
        var lanes: Int?

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            _ = try projections()
            if let lanes, !(1...64).contains(lanes) {
                throw ValidationError("--lanes: expected a number of threads from 1 to 64, got \(lanes)")
            }
        }

        /// The projections the named views (or projections) read.
        func projections() throws -> [String]? {
            guard !views.isEmpty else { return nil }
            let known = ProjectionCatalog.all.map { $0.name }
            var out: [String] = []
            for name in views {
                let names = ViewName(rawValue: name)?.projections ?? (known.contains(name) ? [name] : nil)
                guard let names else {
                    throw ValidationError(
                        "--view: expected a view (\(ViewName.allCases.map(\.rawValue).joined(separator: ", "))) "
                            + "or a projection (\(known.joined(separator: ", "))), got '\(name)'")
                }
                for n in names where !out.contains(n) { out.append(n) }
            }
            return out
        }

        func run() throws {
            let engine = try store.engine()
            defer { engine.close() }
            if let lanes { engine.projections.lanes = lanes }
            let progress = Progress.fold("rebuild")
            let results = try engine.projections.rebuild(try projections()) { progress.reached($0, of: $1) }
            progress.finish()
            if json {
                say(try ViewJSON.encode(results))
                return
            }
            for r in results {
                let live =
                    r.matchesLive.map { $0 ? "same as the live view" : "DIFFERS from the live view" }
                    ?? "no live view to compare"
                say("\(r.name.padded(10)) \(r.rows) rows through position \(r.checkpoint)  \(r.digest)  \(live)")
            }
            if let first = results.first {
                let rate = first.seconds > 0 ? Int(Double(first.checkpoint) / first.seconds) : 0
                say("rebuilt in \(String(format: "%.2f", first.seconds)) s (\(rate) events/s)")
            }
        }
    }

    /// `vigil replay as-of (--position N | --recorded-at T) [VIEW | --case ID]`.
    struct AsOfCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "as-of",
            abstract: "A view as it stood at a past position, or as known at a past time.",
            discussion: """
                --recorded-at T gives the figures as they were known at T: only events recorded by then, so \
                entries made later about earlier events are left out. With --case ID and no view, one case's \
                state and clocks at that moment, folded from its own stream (fast, whatever the log's length).
                """
        )

        @OptionGroup var store: DataOptions

        @Argument(help: "The view (\(ViewName.allCases.map(\.rawValue).joined(separator: ", "))); none with --case ID.")
        var name: String?

        @Option(help: "Everything through this log position.")
        var position: UInt64?

        @Option(
            name: .customLong("recorded-at"), help: "Everything recorded at or before this time (RFC 3339 or a date).")
        var recordedAt: String?

        @Flag(help: "Print one JSON object.")
        var json = false

        @OptionGroup var filters: ViewFilters

        func validate() throws {
            guard (position == nil) != (recordedAt == nil) else {
                throw ValidationError("give exactly one of --position N and --recorded-at TIME")
            }
            if let recordedAt, ViewFilters.instant(recordedAt) == nil {
                throw ValidationError(
                    "--recorded-at: expected an RFC 3339 time like 2026-10-05T23:59:59Z or a date, got '\(recordedAt)'")
            }
            if let caseId = filters.caseId, name == nil {
                guard CaseID(rawValue: caseId) != nil else {
                    throw ValidationError("--case: expected a case id like C-2026A00017, got '\(caseId)'")
                }
            } else {
                guard let name, ViewName(rawValue: name) != nil else {
                    throw ValidationError(
                        "NAME: expected one of \(ViewName.allCases.map(\.rawValue).joined(separator: ", "))"
                            + (name.map { ", got '\($0)'" } ?? " (or --case ID)"))
                }
            }
            try filters.check()
        }

        var moment: Moment {
            if let position { return .position(position) }
            return .recordedAt(ViewFilters.instant(recordedAt!)!)
        }

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            if let caseId = filters.caseId, name == nil {
                let id = CaseID(rawValue: caseId)!
                let at = try moment.position(in: engine.store)
                guard let record = try AsOf.caseRecord(engine.store, id, at: moment) else {
                    throw CLIError("case \(caseId) was not reported by \(moment)")
                }
                let recordedNow = try moment.instant(in: engine.store, position: at)
                let now = filters.nowInstant ?? recordedNow ?? Timestamp(microseconds: 0)
                let clocks = ServiceLevelClocks.clocks(of: record, now: now)
                if json {
                    struct CaseAsOf: Encodable {
                        var position: UInt64
                        var now: String
                        var record: CaseRecord
                        var clocks: [Clock]
                    }
                    say(try ViewJSON.encode(CaseAsOf(position: at, now: now.rfc3339, record: record, clocks: clocks)))
                } else {
                    say(
                        "\(record.caseId) as of \(moment) (position \(at)): \(record.phase.rawValue), \(record.requests.count) request(s)"
                    )
                    for c in clocks {
                        say(
                            "  \(c.serviceLevel)\(c.requestId.map { " \($0)" } ?? ""): \(c.status.rawValue), \(TextViews.duration(c.elapsedSeconds)) of \(TextViews.duration(c.thresholdSeconds))"
                        )
                    }
                }
                return
            }
            let progress = Progress.fold("as-of")
            let snapshot = try AsOf.views(engine.store, at: moment) { progress.reached($0, of: $1) }
            progress.finish()
            say(try ViewsCommand.Show.render(ViewName(rawValue: name!)!, snapshot, filters: filters, json: json))
        }
    }
}
