import EventStore
import FirstResponder
import Projections
import Replay
import Testing
import VigilTestSupport

@Suite("Case timeline")
struct CaseTimelineTests {
    @Test("every event with both times and its actor, decisions with candidates, timers; the chain checked")
    func timeline() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let responder = try #require(try h.firstResponder())
        try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(40))),
            recordedAt: at(40 + 60 * 30))
        let timeline = try #require(try CaseTimeline.load(caseA, from: h.store))
        #expect(timeline.events.first?.type == "RecoveryReported")
        #expect(timeline.events.map(\.position) == timeline.events.map(\.position).sorted())
        let decision = try #require(timeline.events.first { $0.type == "RecommendationComputed" })
        #expect(decision.actor == "user:dispatcher-7")
        #expect(decision.decision?.candidates.first?.contains(responder.rawValue) == true)
        #expect(decision.decision?.exclusions.isEmpty == false)
        #expect(timeline.events.contains { $0.type == "TimerScheduled" && $0.summary.contains("due") })
        let arrival = try #require(timeline.events.first { $0.type == "ResponderArrived" })
        #expect(arrival.enteredLate && arrival.occurredAt == at(40).rfc3339)
        #expect(timeline.chain.verified && timeline.chain.checked == timeline.events.count)
        #expect(timeline.phase == "on-scene" && timeline.sealed == nil)
        #expect(try CaseTimeline.load(CaseID(rawValue: "C-99999999")!, from: h.store) == nil)
    }
}
