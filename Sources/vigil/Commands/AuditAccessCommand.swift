import ArgumentParser
import DispatchServer
import EventStore
import FirstResponder
import VigilEngine

/// `vigil audit access`: the daemon's access log.
struct AuditAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Show the access log: every read of a case's or a youth's details, and every refused request.",
        discussion: """
            Each record: when, who (the token's holder, or system:http without a valid token), the API \
            operation, the outcome — allowed (served), refused (and why), not-found or gone (a sealed \
            record) — the status, the case or youth, the token id and the \
            request id. The records are events of the 'access' stream, chained like every record: \
            'vigil verify' checks them.
            """
    )

    @OptionGroup var store: DataOptions

    @Option(name: .customLong("case"), help: ArgumentHelp("Only records about this case.", valueName: "ID"))
    var caseId: String?

    @Option(name: .customLong("youth"), help: ArgumentHelp("Only records about this youth.", valueName: "YOUTHREF"))
    var youthRef: String?

    @Option(help: ArgumentHelp("Only records of this actor (user:dispatcher-7, system:http).", valueName: "ACTOR"))
    var actor: String?

    @Flag(help: "Only refusals (the same as --outcome refused).")
    var refused = false

    @Option(
        help: ArgumentHelp(
            "Only records with this outcome: allowed (served), refused, not-found (404: nothing held under the case or youth asked for) or gone (410: a sealed record).",
            valueName: "OUTCOME"))
    var outcome: String?

    @Option(help: ArgumentHelp("From this instant (RFC 3339, inclusive).", valueName: "TIME"))
    var from: String?

    @Option(help: ArgumentHelp("Before this instant (RFC 3339).", valueName: "TIME"))
    var to: String?

    @Flag(help: "One JSON object per record.")
    var json = false

    func validate() throws {
        let outcome = try outcomeFilter()
        if refused, let outcome, outcome != .refused {
            throw ValidationError("--refused and --outcome \(outcome.rawValue) contradict each other: give one of them")
        }
    }

    func run() throws {
        let filter = AccessLogReader.Filter(
            caseId: caseId, youthRef: youthRef, actor: actor, refusedOnly: refused, outcome: try outcomeFilter(),
            from: try instant(from, "--from"), to: try instant(to, "--to"))
        let engine = try store.engine(.readOnly)
        defer { engine.close() }
        let out = Output.standard()
        let shown = try AccessLogReader.read(engine.store, filter: filter) { stored, record in
            if json {
                out.line(AccessLogReader.json(stored, record))
            } else {
                out.line(AccessLogReader.line(stored, record))
            }
        }
        try out.flush()
        if !json { printError("\(shown) access records") }
    }

    private func outcomeFilter() throws -> AccessRecorded.Outcome? {
        guard let outcome else { return nil }
        guard let value = AccessRecorded.Outcome(rawValue: outcome) else {
            throw ValidationError("--outcome: expected \(AccessLogReader.outcomeList), got \(outcome.prefix(40))")
        }
        return value
    }

    private func instant(_ text: String?, _ option: String) throws -> Timestamp? {
        guard let text else { return nil }
        guard let t = Timestamp(rfc3339: text) else {
            throw ValidationError("\(option): expected an RFC 3339 time such as 2026-03-14T02:00:00Z, got \(text)")
        }
        return t
    }
}
