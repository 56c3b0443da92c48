import ArgumentParser
import EventStore
import FirstResponder
import Projections
import Replay
import VigilEngine

/// `vigil audit decisions|case|access`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract:
            "Audit what was decided and done: every dispatch decision re-run, one case's full timeline, who read or was refused what.",
        subcommands: [Decisions.self, Case.self, AuditAccessCommand.self]
    )

    /// `vigil audit decisions [--from T] [--to T] [--policy vN]`.
    struct Decisions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-run every recorded dispatch decision on what it read; report any that differ.",
            discussion: """
                One forward pass over the log: each RecommendationComputed is re-run with its recorded policy \
                version on the board as of its decidedAtPosition, the case as it stood, and the policy in force \
                then; it must give exactly the recorded candidates, scores, reasons and exclusions. A mismatch \
                prints both answers and the exit status is 2. With --policy vN, that version is run over the \
                same history as well: which decisions it would have made differently, who it would have sent, \
                and the estimated effect on the on-scene clock (the policy's travel estimate for the one it \
                would have sent against the one sent).
                """
        )

        @OptionGroup var store: DataOptions

        @Option(help: ArgumentHelp("Only decisions made at or after this.", valueName: "TIME"))
        var from: String?

        @Option(help: ArgumentHelp("Only decisions made before this.", valueName: "TIME"))
        var to: String?

        @Option(help: ArgumentHelp("Also run this policy version (v2, or 2) over the same history.", valueName: "vN"))
        var policy: String?

        @Flag(help: "Print one JSON object.")
        var json = false

        var alternative: Int? { policy.flatMap { Int($0.hasPrefix("v") ? String($0.dropFirst()) : $0) } }

        func validate() throws {
            for (flag, value) in [("--from", from), ("--to", to)] {
                if let value, ViewFilters.instant(value) == nil {
                    throw ValidationError("\(flag): expected an RFC 3339 time or a date, got '\(value)'")
                }
            }
            if let policy {
                guard let version = alternative, DispatchPolicies.version(version) != nil else {
                    throw ValidationError(
                        "--policy: expected one of \(DispatchPolicies.all.map { "v\($0.version)" }.joined(separator: ", ")), got '\(policy)'"
                    )
                }
            }
        }

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            let pass = DecisionAuditPass(
                store: engine.store, from: from.flatMap(ViewFilters.instant), to: to.flatMap(ViewFilters.instant),
                alternative: alternative)
            let progress = Progress.fold("audit")
            let report = try pass.run { progress.reached($0, of: $1) }
            progress.finish()
            if json {
                say(try ViewJSON.encode(report))
            } else {
                say(
                    "\(report.decisions) decisions through position \(report.position) (chain \(report.chainHead)): "
                        + "\(report.reproduced) reproduced, \(report.mismatches.count) differ")
                for m in report.mismatches {
                    say(
                        "  position \(m.position) \(m.caseId) \(m.requestId) v\(m.policyVersion): \(m.differences.joined(separator: ", "))"
                    )
                    say("    recorded: \(m.recorded.candidates.joined(separator: "; "))")
                    say("    re-run:   \(m.rerun?.candidates.joined(separator: "; ") ?? "(no such policy version)")")
                }
                if let w = report.whatIf {
                    let median =
                        w.medianEffectSeconds.map { "\($0 >= 0 ? "+" : "-")\(TextViews.duration(abs($0)))" } ?? "-"
                    say(
                        "policy v\(w.policyVersion): \(w.different) of \(w.compared) decisions would have sent someone else; "
                            + "estimated on-scene effect median \(median); \(w.wouldMeet) breaches would have been met, "
                            + "\(w.wouldBreach) met clocks would have breached")
                    for c in w.changes.prefix(20) {
                        let effect =
                            c.estimatedEffectSeconds.map { "\($0 >= 0 ? "+" : "-")\(TextViews.duration(abs($0)))" }
                            ?? "?"
                        say(
                            "  \(c.caseId) \(c.requestId): \(c.recordedFirst ?? "nobody") → \(c.alternativeFirst ?? "nobody") (\(effect))"
                        )
                    }
                    if w.changes.count > 20 { say("  … \(w.changes.count - 20) more (--json lists every one)") }
                }
            }
            if !report.mismatches.isEmpty { throw ExitCode(2) }
        }
    }

    /// `vigil audit case ID`.
    struct Case: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One case's full timeline: both times, actor, decisions, timers; chain checked.",
            discussion: """
                Every event of the case's stream with when it happened and when it was recorded, who acted, \
                each dispatch decision with its candidates, scores, reasons and exclusions, timers, and \
                events the case lifecycle refused. Each record shown is checked against its chain hash \
                (exit status 2 if one fails). Identifying details never appear: they are in the vault, and a \
                sealed record stays sealed.
                """
        )

        @OptionGroup var store: DataOptions

        @Argument(help: "The case id, e.g. C-2026A00017.")
        var caseId: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard CaseID(rawValue: caseId) != nil else {
                throw ValidationError("CASE: expected a case id like C-2026A00017, got '\(caseId)'")
            }
        }

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            guard let timeline = try CaseTimeline.load(CaseID(rawValue: caseId)!, from: engine.store) else {
                throw CLIError("case \(caseId) has no events")
            }
            if json {
                say(try ViewJSON.encode(timeline))
            } else {
                say("\(timeline.caseId): \(timeline.events.count) events, now \(timeline.phase ?? "-")")
                if let sealed = timeline.sealed { say("sealed \(sealed)") }
                for e in timeline.events {
                    let late = e.enteredLate ? " (recorded \(e.recordedAt), late)" : ""
                    let refused = e.refused ? " [refused by the lifecycle]" : ""
                    say(
                        "\(String(e.position).padded(8)) \(e.occurredAt)  \(e.actor.padded(22)) \(e.summary)\(late)\(refused)"
                    )
                    if let d = e.decision {
                        say(
                            "           read position \(d.decidedAtPosition), roster v\(d.rosterVersion), policy v\(d.policyVersion)"
                        )
                        for c in d.candidates { say("           \(c)") }
                        for x in d.exclusions { say("           excluded \(x)") }
                    }
                }
                let chain = timeline.chain
                say(
                    chain.verified
                        ? "chain: all \(chain.checked) records hash to what they store"
                        : "chain: \(chain.problems.joined(separator: "; "))")
            }
            if !timeline.chain.verified { throw ExitCode(2) }
        }
    }
}
