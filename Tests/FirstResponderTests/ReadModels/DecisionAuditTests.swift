import EventStore
import FirstResponder
import Testing

@Suite("Read models: decision audit")
struct DecisionAuditTests {
    /// The recorded `RecommendationComputed` of `result`.
    private func recordedDecision(_ h: CommandHarness, _ result: CommandResult) throws -> RecordedEvent {
        let position = try #require(result.events.first { $0.type == "RecommendationComputed" }?.position)
        return try #require(try h.store.event(at: position))
    }

    @Test("re-running the recorded version on the board as of decidedAtPosition gives exactly the recorded decision")
    func recordedVersionReproduces() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let event = try recordedDecision(h, assigned)

        // The board moves on after the decision: the recommended advocate takes time off, and a new
        // advocate of the station comes on shift.
        try await h.run(
            RecordTimeOff(
                timeOff: TimeOffRecorded(
                    timeOffId: TimeOffID(rawValue: "TO-0001")!, responderId: County.adv2, startsAt: at(0),
                    endsAt: at(600), kind: .unplanned),
                envelope: by(at(2), "user:roster-admin")))
        let adv5 = responder("R-ADV005")
        try await h.run(
            RegisterResponder(
                registration: ResponderRegistered(
                    responderId: adv5, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"],
                    areas: [.spa2], stations: ["SCV"]),
                envelope: by(at(2), "user:roster-admin")))
        try await h.run(ScheduleShift(shift: County.shift(9, adv5), envelope: by(at(2), "user:roster-admin")))

        let audit = try DecisionAudit.load(event, from: h.store)
        #expect(audit.recorded.policyVersion == 1)
        #expect(audit.roster.version == UInt64(audit.recorded.rosterVersion))
        #expect(audit.rerun() == audit.recordedRecommendation)
        #expect(audit.reproduces)
        #expect(audit.rerun()?.candidates.map(\.responderId) == ["R-ADV001", "R-ADV002", "R-ADV003"])
        #expect(
            audit.recordedRecommendation.exclusions.map(\.reasonCode) == ["wrong-area", "wrong-role", "wrong-role"])

        // The same policy on today's board would decide otherwise: the as-of board is what makes the
        // audit agree.
        let today = try h.roster().snapshot()
        let now = DispatchPolicyV1().recommend(audit.request, roster: today, weights: audit.policy.weights)
        #expect(now != audit.recordedRecommendation)
        #expect(now.exclusions.contains { $0.responderId == "R-ADV002" && $0.reasonCode == "time-off" })
    }

    @Test("policy v2 on the same inputs would also have asked the free advocate of the adjacent area")
    func otherVersionDiffers() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let audit = try DecisionAudit.load(try recordedDecision(h, assigned), from: h.store)
        #expect(audit.reproduces)
        let v2 = try #require(audit.rerun(version: 2))
        #expect(v2 != audit.recordedRecommendation)
        #expect(
            audit.recordedRecommendation.exclusions.contains {
                $0.responderId == "R-ADV004" && $0.reasonCode == "wrong-area"
            })
        let adjacent = try #require(v2.candidates.first { $0.responderId == "R-ADV004" })
        #expect(adjacent.reasons.contains("adjacent-area:1"))
        #expect(v2.candidates.last?.responderId == "R-ADV004")
        #expect(!v2.exclusions.contains { $0.responderId == "R-ADV004" })
        #expect(audit.rerun(version: 99) == nil)
    }

    @Test("a decision under policy v2 records v2 and the weights in force; the audit re-runs v2 with them")
    func decisionUnderV2() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        try await h.run(
            ChangePolicy(
                change: PolicyChanged(
                    policyVersion: 2, ackTimeoutSeconds: 120, maxEscalations: 2,
                    slaThresholds: .init(
                        advocateOnScene: 5_400, agencyOnScene: 5_400, acknowledge: 120, health72: 259_200,
                        protocol72: 259_200, hotlineImmediate: 86_400),
                    rankingWeights: ["continuity": 100, "workload": 10, "rotation": 1, "distance": 30],
                    reason: "The ILT adopts v2 for the night shift."),
                envelope: by(at(0), "user:protocol-admin-1")))
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        #expect(assigned.first(NotificationSent.self)?.ackDueAt == at(3))
        let audit = try DecisionAudit.load(try recordedDecision(h, assigned), from: h.store)
        #expect(audit.recorded.policyVersion == 2)
        #expect(audit.policy.weights.extra["distance"] == 30)
        #expect(audit.reproduces)
        let adjacent = try #require(audit.recorded.candidates.first { $0.responderId == County.adv4 })
        #expect(adjacent.score == 24 - 30)
        #expect(audit.rerun(version: 1) != audit.recordedRecommendation)
    }
}
