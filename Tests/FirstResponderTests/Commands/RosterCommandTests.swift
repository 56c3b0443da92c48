import EventStore
import FirstResponder
import Testing

@Suite("Commands: roster and policy")
struct RosterCommandTests {
    @Test("register, deactivate and register again; status by hand; swaps and time off in the roster stream")
    func roster() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        #expect(try h.store.streamHead("roster")?.version == 6)

        let offDuty = try await h.run(
            ChangeResponderStatus(responderId: County.adv2, status: .offDuty, envelope: by(at(0), "user:r-adv002")))
        expectEvents(offDuty, [("ResponderStatusChanged", "responder-R-ADV002")])
        #expect(offDuty.first(ResponderStatusChanged.self)?.previousStatus == .available)
        try await h.expectRejection(
            .notApplicable, ChangeResponderStatus(responderId: County.adv2, status: .onScene, envelope: by(at(1))))

        let traded = try await h.run(
            SwapShift(
                shiftId: ShiftID(rawValue: "SH-N001")!, toResponderId: County.adv3,
                counterpartShiftId: ShiftID(rawValue: "SH-N002")!, reason: "Family event.",
                envelope: by(at(1), "user:roster-admin")))
        expectEvents(traded, [("ShiftSwapped", "roster"), ("ShiftSwapped", "roster")])
        #expect(traded.events.map(\.version) == [7, 8])
        let board = try h.roster()
        #expect(board.shifts[ShiftID(rawValue: "SH-N001")!]?.responderId == County.adv3)
        #expect(board.shifts[ShiftID(rawValue: "SH-N002")!]?.responderId == County.adv2)

        let off = try await h.run(
            RecordTimeOff(
                timeOff: TimeOffRecorded(
                    timeOffId: TimeOffID(rawValue: "TO-0001")!, responderId: County.adv3, startsAt: at(0),
                    endsAt: at(600), kind: .planned),
                envelope: by(at(2), "user:roster-admin")))
        expectEvents(off, [("TimeOffRecorded", "roster")])

        let deactivated = try await h.run(
            DeactivateResponder(responderId: County.adv4, reasonCode: .leftOrganization, envelope: by(at(3))))
        expectEvents(deactivated, [("ResponderDeactivated", "responder-R-ADV004")])
        try await h.expectRejection(
            .responderDeactivated,
            DeactivateResponder(responderId: County.adv4, reasonCode: .leftOrganization, envelope: by(at(4))))
        let back = try await h.run(RegisterResponder(registration: County.registrations[3], envelope: by(at(5))))
        expectEvents(back, [("ResponderRegistered", "responder-R-ADV004")])
        #expect(back.events[0].version == 3)
        #expect(try h.roster().responder(County.adv4)?.deactivated == false)

        // The policy sees all of it: R-ADV002 is off duty, R-ADV003 has time off.
        try await h.run(County.recovery())
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(6))))
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(7))))
        let exclusions = try #require(assigned.first(RecommendationComputed.self)).exclusions
        #expect(exclusions.contains { $0.responderId == County.adv2 && $0.reasonCode == .offShift })
        #expect(exclusions.contains { $0.responderId == County.adv3 && $0.reasonCode == .timeOff })
    }

    @Test("policy changes: the first may restate v1; versions increase and must exist in the code")
    func policy() async throws {
        let h = try await CommandHarness.make()
        #expect(try PolicyView.load(from: h.store) == PolicyView.initial)
        func change(_ version: Int, ack: Int = 300) -> ChangePolicy {
            ChangePolicy(
                change: PolicyChanged(
                    policyVersion: version, ackTimeoutSeconds: ack, maxEscalations: 2,
                    slaThresholds: .init(
                        advocateOnScene: 3_600, agencyOnScene: 5_400, acknowledge: ack, health72: 259_200,
                        protocol72: 259_200, hotlineImmediate: 86_400),
                    rankingWeights: ["continuity": 50, "workload": 5, "rotation": 2]),
                envelope: by(at(0), "user:protocol-admin-1"))
        }
        let first = try await h.run(change(1, ack: 600))
        expectEvents(first, [("PolicyChanged", "policy")])
        var view = try PolicyView.load(from: h.store)
        #expect(view.version == 1 && view.ackTimeoutSeconds == 600 && view.maxEscalations == 2)
        #expect(view.weights == RankingWeights(continuity: 50, workload: 5, rotation: 2))
        #expect(view.threshold(.advocateOnScene) == 3_600)
        #expect(view.revision == 1)
        // The same code version with other parameters is a new revision; the same again changes nothing.
        try await h.expectRejection(.policyUnchanged, change(1, ack: 600))
        try await h.run(change(1, ack: 420))
        view = try PolicyView.load(from: h.store)
        #expect(view.version == 1 && view.revision == 2 && view.ackTimeoutSeconds == 420)
        try await h.run(change(2))
        try await h.expectRejection(.invalidPolicyVersion, change(9))
        view = try PolicyView.load(from: h.store)
        #expect(view.version == 2 && view.revision == 3)
        #expect(try PolicyView.load(from: h.store, through: 1).version == 1)
        // Back to version 1: every version is kept.
        try await h.run(change(1))
        #expect(try PolicyView.load(from: h.store).version == 1)
    }
}

@Suite("Commands: the policy's code version and parameter revision")
struct PolicyRevisionTests {
    @Test("a decision records the code version and the parameters' revision it used")
    func decisionsRecordBoth() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let first = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let recorded = try #require(first.first(RecommendationComputed.self))
        #expect(recorded.policyVersion == 1 && recorded.policyRevision == 0)
        let audit = try DecisionAudit.load(try #require(try h.store.event(at: first.events[0].position)), from: h.store)
        #expect(audit.reproduces)
    }

    @Test("an undecodable PolicyChanged is an error, never skipped")
    func undecodablePolicy() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        _ = try await h.store.append(
            AppendRequest(events: [
                NewEvent(
                    stream: "policy", type: "PolicyChanged", occurredAt: at(0), actor: "user:import",
                    payload: Array(#"{"policyVersion": "two"}"#.utf8))
            ]))
        #expect(throws: RuleViolation.self) { try PolicyView.load(from: h.store) }
        try await h.expectRejection(
            .undecodableEvent, AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
    }
}
