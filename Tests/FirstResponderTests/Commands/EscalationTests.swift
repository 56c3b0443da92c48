import EventStore
import FirstResponder
import Testing

private let caseStream = "case-C-2026A00017"

@Suite("Commands: escalation")
struct EscalationTests {
    @Test("declines escalate down the ranked list, then to the supervisor, then nowhere")
    func byDeclines() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        var expectedNext: [(ResponderID, AssignmentEscalated.To, Int?)] = [
            (County.adv2, .nextCandidate, 2), (County.adv3, .nextCandidate, 3), (County.sup, .supervisor, nil),
        ]
        var current = County.adv1
        var minute: Int64 = 2
        while !expectedNext.isEmpty {
            let (next, to, rank) = expectedNext.removeFirst()
            let declined = try await h.run(
                Decline(
                    caseId: caseA, requestId: requestA1, responderId: current, reasonCode: .atAnotherScene,
                    envelope: by(at(minute), "user:\(current.rawValue.lowercased())")))
            expectEvents(
                declined,
                [
                    ("AssignmentDeclined", caseStream), ("TimerCancelled", caseStream),
                    ("ResponderStatusChanged", "responder-\(current)"), ("AssignmentEscalated", caseStream),
                    ("ResponderAssigned", caseStream), ("NotificationSent", caseStream), ("TimerScheduled", caseStream),
                    ("ResponderStatusChanged", "responder-\(next)"),
                ])
            let escalated = try #require(declined.first(AssignmentEscalated.self))
            #expect(escalated.fromResponderId == current && escalated.toResponderId == next && escalated.to == to)
            #expect(escalated.cause == .declined)
            #expect(escalated.escalationLevel == Int(minute) - 1)
            let assigned = try #require(declined.first(ResponderAssigned.self))
            #expect(assigned.mode == .escalation && assigned.candidateRank == rank && assigned.policyVersion == 1)
            current = next
            minute += 1
        }
        // The supervisor declines too: nobody is left; the request waits, open, for a manual assignment.
        let last = try await h.run(
            Decline(
                caseId: caseA, requestId: requestA1, responderId: County.sup, reasonCode: .unavailable,
                envelope: by(at(minute), "user:r-sup001")))
        expectEvents(
            last,
            [
                ("AssignmentDeclined", caseStream), ("TimerCancelled", caseStream),
                ("ResponderStatusChanged", "responder-R-SUP001"), ("AssignmentEscalated", caseStream),
            ])
        #expect(last.first(AssignmentEscalated.self)?.to == .supervisor)
        #expect(last.first(AssignmentEscalated.self)?.toResponderId == nil)
        let request = try #require(try h.caseFile(caseA).request(requestA1))
        #expect(request.phase == .awaiting)
        #expect(request.tried.map(\.responderId) == [County.adv1, County.adv2, County.adv3, County.sup])
        #expect(try h.timers.pending(in: h.store.environment).allSatisfy { $0.kind != "ack-timeout" })
    }

    @Test("ack timeouts fired by the timer service on a virtual clock escalate the same way")
    func byAckTimeouts() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        let service = TimerService(store: h.store, index: h.timers)
        var chain: [ResponderID] = []
        var now = at(1)
        for _ in 0..<4 {
            now = now.adding(seconds: 301)
            let fired = try await service.fireDue(now: now)
            #expect(fired.map(\.kind) == ["ack-timeout"])
            for timer in fired {
                let handled = try await h.run(
                    HandleTimerFired(
                        caseId: caseA, timerId: timerID(timer.timerId), envelope: by(now, "system:timers")))
                // The service appended TimerFired; the handler adds the reaction only.
                #expect(handled.types.first == "AckTimeoutElapsed")
                #expect(handled.first(SLABreached.self)?.slaId == .acknowledge)
                if let next = handled.first(ResponderAssigned.self)?.responderId { chain.append(next) }
                // Handling again is a no-op.
                let again = try await h.run(
                    HandleTimerFired(
                        caseId: caseA, timerId: timerID(timer.timerId), envelope: by(now, "system:timers")))
                #expect(again.events.isEmpty)
            }
        }
        #expect(chain == [County.adv2, County.adv3, County.sup])
        let request = try #require(try h.caseFile(caseA).request(requestA1))
        #expect(request.tried.map(\.reasonCode) == Array(repeating: "timed-out-already", count: 4))
        #expect(request.phase == .awaiting)
        #expect(try await service.fireDue(now: now.adding(seconds: 301)).isEmpty)
    }

    @Test("a timer the handler fires itself gets the timer service's event id, so the service never fires it again")
    func handlerFiresFirst() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.expectRejection(
            .notApplicable,
            HandleTimerFired(
                caseId: caseA, timerId: timerID("T-2026A00017-1-ACK-1"), envelope: by(at(5), "system:timers")))
        let handled = try await h.run(
            HandleTimerFired(
                caseId: caseA, timerId: timerID("T-2026A00017-1-ACK-1"), envelope: by(at(7), "system:timers")))
        #expect(handled.types.prefix(3) == ["TimerFired", "AckTimeoutElapsed", "SLABreached"])
        #expect(handled.first(ResponderAssigned.self)?.responderId == County.adv2)
        let service = TimerService(store: h.store, index: h.timers)
        #expect(try await service.fireDue(now: at(7)).isEmpty)
    }

    @Test("the on-scene timer records the breach when nobody arrived in 90 minutes; a late arrival does not repeat it")
    func onSceneBreach() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.run(Acknowledge(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(2))))
        let service = TimerService(store: h.store, index: h.timers)
        let fired = try await service.fireDue(now: at(91))
        #expect(fired.map(\.timerId) == ["T-2026A00017-1-SCENE"])
        let breach = try await h.run(
            HandleTimerFired(
                caseId: caseA, timerId: timerID("T-2026A00017-1-SCENE"), envelope: by(at(91), "system:timers")))
        #expect(breach.types == ["SLABreached"])
        #expect(breach.first(SLABreached.self)?.slaId == .advocateOnScene)
        #expect(breach.first(SLABreached.self)?.thresholdSeconds == 5_400)
        let arrived = try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(100))))
        #expect(arrived.types == ["ResponderArrived", "ResponderStatusChanged"])
    }

    @Test("a late arrival whose on-scene timer has not fired yet records the breach itself")
    func lateArrivalBeforeTimer() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        let arrived = try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(95))))
        #expect(
            arrived.types == [
                "AssignmentAcknowledged", "TimerCancelled", "ResponderArrived", "SLABreached", "TimerCancelled",
                "ResponderStatusChanged",
            ])
        #expect(arrived.first(SLABreached.self)?.slaId == .advocateOnScene)
    }
}
