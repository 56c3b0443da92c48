import ArgumentParser
import EventStore
import FirstResponder
import Foundation
import Reports
import VigilEngine

/// `vigil report`: the Board of Supervisors report, and `vigil report verify`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The Board of Supervisors report: recoveries, response times, 72-hour milestones, arrests, training.",
        discussion: """
            Reads the views (brought up to the log's head first, unless --no-update) and writes one report: a self-contained HTML file with SVG charts that \
            prints to A4 or Letter, Markdown, CSV or JSON. Counts of children below 11 are shown as "<11". \
            Every report carries a stamp (log position, chain hash there, Vigil's version) and the command \
            that recomputes it; `vigil report verify FILE.json` confirms every figure against the log.

            Periods are whole days in Pacific time. --as-known-on T gives the report as it would have been \
            made at T: only events recorded by then.
            """,
        subcommands: [MakeReport.self, VerifyReport.self],
        defaultSubcommand: MakeReport.self
    )
}

/// `vigil report --from … --to … --format … --out …`.
struct MakeReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make", abstract: "Write a report (the default: `vigil report --from …`).")

    @OptionGroup var store: DataOptions

    @Option(help: ArgumentHelp("First day of the period.", valueName: "YYYY-MM-DD"))
    var from: String

    @Option(help: ArgumentHelp("Last day of the period (inclusive).", valueName: "YYYY-MM-DD"))
    var to: String

    @Option(
        name: .customLong("compare-to"),
        help: ArgumentHelp(
            "The comparison period: 'previous' (the same months a year earlier, or the days just before) or FROM..TO.",
            valueName: "previous|FROM..TO"))
    var compareTo: String?

    @Option(
        name: .customLong("as-known-on"),
        help: ArgumentHelp("Only events recorded at or before this instant (RFC 3339).", valueName: "T"))
    var asKnownOn: String?

    @Option(
        name: .customLong("at-position"),
        help: ArgumentHelp("Only the log through this position (what a report's stamp pins).", valueName: "N"))
    var atPosition: UInt64?

    @Option(
        name: .customLong("time-zone"),
        help: ArgumentHelp("The county's local time for days and months: pacific (default) or utc.", valueName: "ZONE"))
    var timeZone = "pacific"

    @Option(help: ArgumentHelp("html, md, csv or json.", valueName: "FORMAT"))
    var format: String = "html"

    @Option(help: ArgumentHelp("Where to write it; - for standard output.", valueName: "PATH"))
    var out: String

    @Flag(
        name: .customLong("no-update"),
        help: "Do not bring the stored views up to the log first (read-only; lagging views are folded in memory).")
    var noUpdate = false

    func run() throws {
        let request: ReportRequest
        let format: ReportFormat
        do {
            request = try ReportRequest.parse(
                from: from, to: to, compareTo: compareTo, asKnownOn: asKnownOn, atPosition: atPosition.map(String.init),
                timeZone: timeZone, name: { "--\($0)" })
            format = try ReportFormat.parse(self.format, name: "--format")
        } catch let error as ReportError {
            throw CLIError(error.message)
        }
        // A report never creates a store: a missing one is an error before anything is opened to write.
        try store.engine(.readOnly).close()
        let engine = try store.engine(noUpdate ? .readOnly : Engine.Options())
        defer { engine.close() }
        // The figures come from the stored views: brought up to the log's head first (unless
        // --no-update; then views that lag are folded in memory, the same figures, slower).
        if !noUpdate { try engine.projections.catchUp() }
        let service = ReportService(
            store: engine.store, views: engine.projections, vigilVersion: Engine.version, dataDirectory: store.data)
        let bytes: [UInt8]
        do {
            bytes = try service.render(request, format: format, output: out)
        } catch let error as ReportError {
            throw CLIError(error.text { "--\($0)" })
        }
        try write(bytes, to: out)
    }

}

/// `vigil report verify FILE.json`.
struct VerifyReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a JSON report from the log at its stamped position and confirm every figure.",
        discussion: "Exit status 0 when every figure is confirmed, 2 when any differs (each is listed), 1 on errors."
    )

    @OptionGroup var store: DataOptions

    @Argument(help: ArgumentHelp("A report written with --format json.", valueName: "FILE.json"))
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        let engine = try store.engine(.readOnly)
        defer { engine.close() }
        let verifier = ReportVerifier(
            service: ReportService(
                store: engine.store, views: engine.projections, vigilVersion: Engine.version,
                dataDirectory: store.data))
        let outcome: ReportVerifier.Outcome
        do {
            outcome = try verifier.verify(Array(data))
        } catch let error as ReportError {
            throw CLIError("\(file): \(error.message)")
        }
        if outcome.isConfirmed {
            say(
                "ok: \(outcome.figures) figures confirmed against the log at position \(outcome.position) (\(outcome.chainHash))"
            )
        } else {
            say(
                "DIFFERENT: \(outcome.differences.count) of \(outcome.figures) figures differ from the log at position \(outcome.position)"
            )
            for d in outcome.differences { say("  \(d)") }
            throw ExitCode(2)
        }
    }
}

/// Writes `bytes` to `path` whole or not at all, as a private file (``Output/whole(_:_:)``), or to
/// standard output.
private func write(_ bytes: [UInt8], to path: String) throws {
    do {
        try Output.whole(path) { out in out.write(bytes) }
    } catch let error as CLIError {
        throw CLIError("--out: \(error.description)")
    }
}
