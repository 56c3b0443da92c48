import EventStore
import FirstResponder
import Testing

private let caseStream = "case-C-2026A00017"

@Suite("Commands: dispatch flow")
struct DispatchFlowTests {
    @Test("request → assign by policy → acknowledge → en route → arrive → clear, each one append")
    func happyPath() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        let reported = try await h.run(County.recovery())
        expectEvents(
            reported,
            [("RecoveryReported", caseStream), ("TimerScheduled", caseStream), ("TimerScheduled", caseStream)])
        #expect(reported.events.map(\.version) == [1, 2, 3])

        let requested = try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        expectEvents(requested, [("ResponseRequested", caseStream), ("TimerScheduled", caseStream)])
        let request = try #require(requested.first(ResponseRequested.self))
        #expect(request.requestId == requestA1)
        #expect(request.deadlineAt == at(90))
        #expect(requested.first(TimerScheduled.self)?.kind == .advocateOnScene)
        #expect(requested.first(TimerScheduled.self)?.timerId == timerID("T-2026A00017-1-SCENE"))

        let headBefore = try h.head()
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        expectEvents(
            assigned,
            [
                ("RecommendationComputed", caseStream), ("ResponderAssigned", caseStream),
                ("NotificationSent", caseStream), ("TimerScheduled", caseStream),
                ("ResponderStatusChanged", "responder-R-ADV001"),
            ])
        let recommendation = try #require(assigned.first(RecommendationComputed.self))
        #expect(recommendation.decidedAtPosition == Int(headBefore))
        #expect(recommendation.rosterVersion == County.registrations.count)
        #expect(recommendation.policyVersion == 1)
        #expect(recommendation.candidates.map(\.responderId) == [County.adv1, County.adv2, County.adv3])
        #expect(recommendation.candidates[0].reasons.contains("covers-station"))
        #expect(
            recommendation.exclusions.map(\.responderId.rawValue) == ["R-ADV004", "R-DCFS01", "R-SUP001"])
        #expect(recommendation.exclusions.map(\.reasonCode) == [.wrongArea, .wrongRole, .wrongRole])
        let assignment = try #require(assigned.first(ResponderAssigned.self))
        #expect(assignment.mode == .auto && assignment.candidateRank == 1 && assignment.policyVersion == 1)
        #expect(assigned.first(NotificationSent.self)?.ackDueAt == at(6))
        #expect(try h.timers.timer("T-2026A00017-1-ACK-1", in: h.store.environment)?.dueAt == at(6))
        #expect(try h.roster().responder(County.adv1)?.status == .assigned)

        let acknowledged = try await h.run(
            Acknowledge(
                caseId: caseA, requestId: requestA1, responderId: County.adv1, etaMinutes: 25, envelope: by(at(3))))
        expectEvents(acknowledged, [("AssignmentAcknowledged", caseStream), ("TimerCancelled", caseStream)])
        #expect(try h.timers.timer("T-2026A00017-1-ACK-1", in: h.store.environment) == nil)

        let enRoute = try await h.run(
            EnRoute(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(4))))
        expectEvents(enRoute, [("ResponderEnRoute", caseStream), ("ResponderStatusChanged", "responder-R-ADV001")])

        let arrived = try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(30))))
        expectEvents(
            arrived,
            [
                ("ResponderArrived", caseStream), ("TimerCancelled", caseStream),
                ("ResponderStatusChanged", "responder-R-ADV001"),
            ])
        #expect(arrived.first(ResponderArrived.self)?.role == .advocate)
        #expect(try h.timers.timer("T-2026A00017-1-SCENE", in: h.store.environment) == nil)

        let cleared = try await h.run(
            Clear(
                caseId: caseA, requestId: requestA1, responderId: County.adv1, disposition: .youthPlaced,
                envelope: by(at(80))))
        expectEvents(cleared, [("ResponderCleared", caseStream), ("ResponderStatusChanged", "responder-R-ADV001")])

        let file = try h.caseFile(caseA)
        #expect(file.state.phase == .onScene)
        #expect(file.state.openRequests == 0 && file.state.activeResponders == 0)
        #expect(file.request(requestA1)?.phase == .cleared)
        #expect(file.lifecycle.rejected.isEmpty)
        let board = try h.roster()
        #expect(board.responder(County.adv1)?.status == .cleared)
        #expect(board.responder(County.adv1)?.youthServed == [youthRefA])
        #expect(board.openAssignments(of: County.adv1) == 0)
    }

    @Test("a manual assignment needs a reason, and takes the request over from the policy's choice")
    func manualAssignment() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.expectRejection(
            .invalidCommand,
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: County.adv3, overrideReason: "  ", envelope: by(at(2))
            ))
        let manual = try await h.run(
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: County.adv3,
                overrideReason: "Knows the family from an earlier placement.", channel: .voice, envelope: by(at(2))))
        expectEvents(
            manual,
            [
                ("TimerCancelled", caseStream), ("ResponderStatusChanged", "responder-R-ADV001"),
                ("AssignmentEscalated", caseStream), ("ResponderAssigned", caseStream),
                ("NotificationSent", caseStream), ("TimerScheduled", caseStream),
                ("ResponderStatusChanged", "responder-R-ADV003"),
            ])
        #expect(manual.first(AssignmentEscalated.self)?.cause == .manual)
        #expect(manual.first(ResponderAssigned.self)?.mode == .manual)
        #expect(manual.first(ResponderAssigned.self)?.overrideReason != nil)
        #expect(manual.first(TimerScheduled.self)?.timerId == timerID("T-2026A00017-1-ACK-2"))
        let board = try h.roster()
        #expect(board.responder(County.adv1)?.status == .available)
        #expect(board.responder(County.adv3)?.status == .assigned)
    }

    @Test("re-notifying replaces the ack timer; cancelling a request cancels its timers and frees its responder")
    func notifyAndCancel() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        let again = try await h.run(Notify(caseId: caseA, requestId: requestA1, channel: .sms, envelope: by(at(4))))
        expectEvents(
            again, [("TimerCancelled", caseStream), ("NotificationSent", caseStream), ("TimerScheduled", caseStream)])
        #expect(again.first(NotificationSent.self)?.attempt == 2)
        #expect(try h.timers.timer("T-2026A00017-1-ACK-2", in: h.store.environment)?.dueAt == at(9))

        let cancelled = try await h.run(
            CancelResponse(
                caseId: caseA, requestId: requestA1, reasonCode: .youthLeftBeforeArrival, envelope: by(at(5))))
        expectEvents(
            cancelled,
            [
                ("ResponseCancelled", caseStream), ("TimerCancelled", caseStream), ("TimerCancelled", caseStream),
                ("ResponderStatusChanged", "responder-R-ADV001"),
            ])
        let pending = try h.timers.pending(in: h.store.environment).map(\.timerId)
        #expect(pending == ["T-2026A00017-H72", "T-2026A00017-P72"])
        #expect(try h.caseFile(caseA).state.phase == .intake)
        #expect(try h.roster().responder(County.adv1)?.status == .available)
    }
}
