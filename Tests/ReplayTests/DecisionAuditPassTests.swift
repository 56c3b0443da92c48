import EventStore
import FirstResponder
import Projections
import Replay
import Testing
import VigilTestSupport

@Suite("Decision audit in one pass")
struct DecisionAuditPassTests {
    @Test("every decision of a simulated county re-runs to exactly what was recorded, as the per-decision audit says")
    func reproduces() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 15)
        let report = try DecisionAuditPass(store: county.store).run()
        #expect(report.decisions > 20)
        #expect(report.reproduced == report.decisions && report.mismatches.isEmpty && report.refolded == 0)
        let decisions = try county.store.read(from: 1, limit: .max).filter { $0.type == "RecommendationComputed" }
        #expect(decisions.count == report.decisions)
        // The slow audit, refolding the board per decision, agrees on a sample.
        for recorded in decisions.prefix(5) { #expect(try DecisionAudit.load(recorded, from: county.store).reproduces) }
        #expect(report.chainHead == (try county.store.head().hashHex))
    }

    @Test("with room for two case files, the pass reads the others back from their streams and finds the same")
    func boundedCaseFiles() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 15)
        let full = try DecisionAuditPass(store: county.store, alternative: 2).run()
        #expect(full.reread == 0)
        var bounded = DecisionAuditPass(store: county.store, alternative: 2)
        bounded.caseFileLimit = 2
        var report = try bounded.run()
        #expect(report.reread > 10, "cases came up again after their files were dropped")
        report.reread = 0
        #expect(report == full)
        #expect(full.decisions > 20 && full.reproduced == full.decisions)
    }

    @Test(
        "a board that forgets ended shifts audits every decision as the full board does, refolding for one made at an instant it forgot"
    )
    func forgetsEndedShifts() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 15)
        // A decision entered late: made at an early decision's instant, reading the board at the head.
        let decisions = try county.store.read(from: 1, limit: .max).filter { $0.type == "RecommendationComputed" }
        let original = decisions[decisions.count / 4]
        var late = try #require(try EventCatalog.decode(original) as? RecommendationComputed)
        late.decidedAtPosition = Int(try county.store.head().position)
        _ = try await county.store.append(
            AppendRequest(events: [late.newEvent(occurredAt: original.occurredAt, actor: "user:late-entry")]))

        var keeping = DecisionAuditPass(store: county.store, alternative: 2)
        keeping.forgetInterval = .max
        let full = try keeping.run()
        #expect(full.refolded == 0)

        final class Counts {
            var kept: [Int] = []
            var forgotten = 0
        }
        let counts = Counts()
        var forgetting = DecisionAuditPass(store: county.store, alternative: 2)
        forgetting.shiftRetention = 0
        forgetting.forgetInterval = 200
        forgetting.forgot = { kept, forgotten in
            counts.kept.append(kept)
            counts.forgotten = forgotten
        }
        var report = try forgetting.run()
        // The county's roster is scheduled ahead; by the end the board holds only what is still running or ahead.
        let keptAtTheEnd = try #require(counts.kept.last)
        #expect(counts.forgotten > 5 * keptAtTheEnd && keptAtTheEnd < (counts.kept.max() ?? 0))
        #expect(report.refolded == 1, "the late decision's instant was covered by a forgotten shift")
        report.refolded = 0
        #expect(report == full)
        #expect(full.decisions == decisions.count + 1 && full.reproduced >= decisions.count)
    }

    @Test("another policy version over the same history: which decisions differ, who, and the estimated effect")
    func whatIf() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 15)
        let report = try DecisionAuditPass(store: county.store, alternative: 2).run()
        let whatIf = try #require(report.whatIf)
        #expect(whatIf.policyVersion == 2 && whatIf.compared == report.decisions)
        #expect(whatIf.different == whatIf.changes.count && whatIf.different > 0)
        #expect(whatIf.changes.allSatisfy { $0.recordedFirst != $0.alternativeFirst })
        let recorded = try DecisionAuditPass(store: county.store, alternative: 1).run()
        #expect(recorded.whatIf?.different == 0, "the recorded version changes nothing")
    }

    @Test("a decision written around the command layer with other scores is found, with both answers")
    func mismatch() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 3)
        let decisions = try county.store.read(from: 1, limit: .max).filter { $0.type == "RecommendationComputed" }
        let original = try #require(
            try decisions.first {
                (try EventCatalog.decode($0) as? RecommendationComputed)?.candidates.isEmpty == false
            })
        var decision = try #require(try EventCatalog.decode(original) as? RecommendationComputed)
        decision.candidates[0].score += 50
        _ = try await county.store.append(
            AppendRequest(events: [decision.newEvent(occurredAt: original.occurredAt, actor: "user:tamperer")]))
        let report = try DecisionAuditPass(store: county.store).run()
        #expect(report.mismatches.count == 1)
        let m = try #require(report.mismatches.first)
        #expect(m.differences == ["candidates"] && m.caseId == decision.caseId.rawValue)
        #expect(m.recorded.candidates != m.rerun?.candidates)
        // Counted, not kept, past the limit a benchmark sets.
        var counting = DecisionAuditPass(store: county.store)
        counting.mismatchesKept = 0
        let counted = try counting.run()
        #expect(counted.mismatches.isEmpty && counted.decisions - counted.reproduced == 1)
        #expect(counted.decisions == report.decisions)
    }

    @Test("a period limits the decisions audited")
    func period() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 6)
        let all = try DecisionAuditPass(store: county.store).run()
        let later = try DecisionAuditPass(
            store: county.store, from: SimulatedCounty.start.adding(seconds: 3 * 86_400)
        ).run()
        #expect(later.decisions > 0 && later.decisions < all.decisions && later.mismatches.isEmpty)
    }
}
