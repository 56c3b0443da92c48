import ArgumentParser
import EventStore
import FirstResponder
import Foundation
import Glibc
import Projections
import Replay
import VigilEngine

extension BenchCommand {
    /// `vigil bench replay --data DIR`: the replay engine against the log scan it is built on, in one
    /// process, over a store `vigil simulate` wrote.
    struct ReplayBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Time rebuilding every view, as-of one case and the decision audit against a scan of the log.",
            discussion: """
                Over a store written by 'vigil simulate' (its views are rebuilt: use a copy you can spare), \
                each round times, in this one process: the log scan every fold is built on (envelopes \
                decoded in place, as 'bench scan'), the same scan decoding every catalog event, every view \
                folded into scratch views (what 'replay as-of' does), every view rebuilt into its shadow databases \
                and swapped in (what 'replay rebuild' does, digests included), one case as of a past \
                position (from its stream), and the one-pass audit of every decision. Prints the median \
                of the rounds for each, and each fold's rate as a share of the scan's.
                """
        )

        @Option(help: ArgumentHelp("The store to replay (one 'vigil simulate' wrote).", valueName: "DIR"))
        var data: String = "./vigil-data"

        @Option(help: "Rounds; each figure is the median of the rounds.")
        var rounds = 3

        @Option(help: "Cases looked up as of a past position, per round.")
        var cases = 200

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard (1...100).contains(rounds) else {
                throw ValidationError("--rounds: expected 1 to 100, got \(rounds)")
            }
            guard (1...100_000).contains(cases) else {
                throw ValidationError("--cases: expected 1 to 100000, got \(cases)")
            }
        }

        func run() throws {
            let engine = try DataOptions.parse(["--data", data]).engine()
            defer { engine.close() }
            let store = engine.store
            let head = try store.head().position
            guard head > 0 else { throw CLIError("--data \(data) holds no events: simulate a county into it first") }
            var scan: [Double] = []
            var decode: [Double] = []
            var fold: [Double] = []
            var rebuild: [Double] = []
            var caseLatencies: [Double] = []
            var audit: [Double] = []
            var reports: [(caseId: CaseID, position: UInt64)] = []
            var decisions = 0
            var mismatches = 0
            var digestsAgree = true
            var peaks = StagePeaks(release: { store.environment.releaseResidentPages() })
            let clock = ContinuousClock()
            for round in 0..<rounds {
                var touched: UInt64 = 0
                peaks.begin()
                var t0 = clock.now
                try store.scanReleasingPages(through: head) { view in
                    touched &+= view.version &+ UInt64(view.payloadBytes.count) &+ UInt64(view.streamBytes.count)
                }
                scan.append((clock.now - t0).seconds)
                peaks.end(.scan)
                blackHole(touched)

                var found: [(CaseID, UInt64)] = []
                peaks.begin()
                t0 = clock.now
                try store.scanReleasingPages(through: head) { view in
                    if case .recoveryReported(let e) = try? CatalogEvent(view) {
                        found.append((e.caseId, view.position))
                    }
                }
                decode.append((clock.now - t0).seconds)
                peaks.end(.decode)
                if round == 0 { reports = found.map { (caseId: $0.0, position: $0.1) } }

                peaks.begin()
                t0 = clock.now
                let snapshot = try AsOf.views(store, at: .position(head))
                fold.append((clock.now - t0).seconds)
                blackHole(UInt64(snapshot.position))
                peaks.end(.fold)

                peaks.begin()
                t0 = clock.now
                let results = try engine.projections.rebuild()
                rebuild.append((clock.now - t0).seconds)
                peaks.end(.rebuild)
                digestsAgree = digestsAgree && results.allSatisfy { $0.matchesLive != false }

                // Cases spread over the log, each looked up halfway between its report and the head.
                let step = max(1, reports.count / cases)
                peaks.begin()
                for report in stride(from: 0, to: reports.count, by: step).map({ reports[$0] }).prefix(cases) {
                    let at = report.position + (head - report.position) / 2
                    t0 = clock.now
                    let record = try AsOf.caseRecord(store, report.caseId, at: .position(at))
                    caseLatencies.append((clock.now - t0).seconds)
                    guard record != nil else { throw CLIError("as-of: case \(report.caseId) missing at \(at)") }
                }
                peaks.end(.asOfCase)

                peaks.begin()
                t0 = clock.now
                // Mismatches are counted, and only a few kept: the pass is measured, not its answer's size.
                var auditPass = DecisionAuditPass(store: store)
                auditPass.mismatchesKept = 100
                let pass = try auditPass.run()
                audit.append((clock.now - t0).seconds)
                peaks.end(.audit)
                decisions = pass.decisions
                mismatches = pass.decisions - pass.reproduced
            }
            let rate = { (seconds: [Double]) in Double(head) / max(median(seconds), 1e-9) }
            let sortedCases = caseLatencies.sorted()
            let figures = Figures(
                events: Int(head), rounds: rounds, scan: rate(scan), decode: rate(decode), fold: rate(fold),
                rebuild: rate(rebuild), rebuildSeconds: median(rebuild), digestsAgree: digestsAgree,
                asOfCases: caseLatencies.count, asOfMedianMs: median(caseLatencies) * 1000,
                asOfP90Ms: nearestRank(sortedCases, 0.9) * 1000, auditDecisions: decisions, auditMismatches: mismatches,
                auditSeconds: median(audit), peaks: peaks)
            if json {
                report(true, figures.fields)
            } else {
                for line in figures.lines { say(line) }
            }
        }
    }
}

/// What `bench replay` measured: medians of the rounds.
private struct Figures {
    var events: Int
    var rounds: Int
    var scan: Double
    var decode: Double
    var fold: Double
    var rebuild: Double
    var rebuildSeconds: Double
    var digestsAgree: Bool
    var asOfCases: Int
    var asOfMedianMs: Double
    var asOfP90Ms: Double
    var auditDecisions: Int
    var auditMismatches: Int
    var auditSeconds: Double
    var peaks: StagePeaks

    var fields: [(String, BenchValue)] {
        [
            ("benchmark", .text("replay")), ("events", .int(events)), ("rounds", .int(rounds)),
            ("scan_events_per_s", .int(Int(scan))),
            ("decode_events_per_s", .int(Int(decode))), ("decode_vs_scan", .real(decode / scan)),
            ("fold_events_per_s", .int(Int(fold))), ("fold_vs_scan", .real(fold / scan)),
            ("rebuild_events_per_s", .int(Int(rebuild))), ("rebuild_vs_scan", .real(rebuild / scan)),
            ("rebuild_seconds", .real(rebuildSeconds)), ("rebuild_digests_agree", .text(digestsAgree ? "yes" : "no")),
            ("as_of_lookups", .int(asOfCases)), ("as_of_case_ms_median", .real(asOfMedianMs)),
            ("as_of_case_ms_p90", .real(asOfP90Ms)),
            ("audit_decisions", .int(auditDecisions)), ("audit_mismatches", .int(auditMismatches)),
            ("audit_seconds", .real(auditSeconds)),
            ("audit_events_per_s", .int(Int(Double(events) / max(auditSeconds, 1e-9)))),
            ("max_rss_mib", .real(peaks.overall)),
        ] + StagePeaks.Stage.allCases.map { ("max_rss_mib_\($0.rawValue)", .real(peaks.mib[$0] ?? 0)) }
    }

    var lines: [String] {
        let n = { (x: Double) in Progress.grouped(UInt64(max(0, x))) }
        let share = { (x: Double) in String(format: "%.3f× the scan", x / scan) }
        return [
            "replay of \(n(Double(events))) events, median of \(rounds) round(s)",
            "  log scan, envelopes in place  \(n(scan)) events/s (the baseline)",
            "  scan + decode every event     \(n(decode)) events/s, \(share(decode))",
            "  every view folded in memory   \(n(fold)) events/s, \(share(fold))",
            "  every view rebuilt, swapped   \(n(rebuild)) events/s, \(share(rebuild)), "
                + String(format: "%.2f s", rebuildSeconds)
                + (digestsAgree ? ", digests equal the live views" : ", DIGESTS DIFFER from the live views"),
            "  one case as of a position     "
                + String(format: "%.2f ms median, %.2f ms p90", asOfMedianMs, asOfP90Ms) + " (\(asOfCases) lookups)",
            "  audit of every decision       "
                + String(format: "%.2f s", auditSeconds)
                + " (\(auditDecisions) decisions, \(auditMismatches) differ from what was recorded)",
            "  peak resident set             " + String(format: "%.1f MiB", peaks.overall) + ", by stage: "
                + StagePeaks.Stage.allCases.map { String(format: "%@ %.0f", $0.rawValue, peaks.mib[$0] ?? 0) }
                .joined(separator: ", "),
        ]
    }
}

/// The median of `values` (the mean of the middle two for an even count).
private func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// The nearest-rank percentile `p` (0…1) of sorted `values`.
private func nearestRank(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[max(1, Int((p * Double(sorted.count)).rounded(.up))) - 1]
}

/// The peak resident set of each stage of `bench replay`, the largest over the rounds. Before a stage
/// the store's mapped pages are let go (as a command run on its own starts with none) and the
/// process's high-water mark (`VmHWM`) is reset (Linux: `5` written to `/proc/self/clear_refs`); it
/// is read after the stage, so a stage's figure is its own and not an earlier stage's.
struct StagePeaks {
    enum Stage: String, CaseIterable {
        case scan, decode, fold, rebuild
        case asOfCase = "as_of_case"
        case audit
    }

    /// Each stage's peak, in MiB.
    private(set) var mib: [Stage: Double] = [:]
    /// The peak before the first stage (opening the store).
    private var opening = StagePeaks.highWaterMiB()

    /// The peak of the whole run: the largest stage's, or opening's.
    var overall: Double { max(opening, mib.values.max() ?? 0) }

    /// Lets go of the store's mapped pages.
    let release: () -> Void

    init(release: @escaping () -> Void) {
        self.release = release
    }

    /// Starts a stage's count from the resident set as it is once the store's pages are let go.
    func begin() {
        release()
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
    }

    /// Ends `stage`: keeps its peak if it is the largest of the rounds.
    mutating func end(_ stage: Stage) {
        mib[stage] = max(mib[stage] ?? 0, Self.highWaterMiB())
    }

    /// The process's resident high-water mark, in MiB (`VmHWM`, or `ru_maxrss` where there is none).
    static func highWaterMiB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        {
            return kib / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// Keeps a value the optimizer would otherwise prove unused.
@inline(never)
private func blackHole(_ value: UInt64) {
    if value == 0x5EED_5EED_5EED_5EED { print("") }
}
