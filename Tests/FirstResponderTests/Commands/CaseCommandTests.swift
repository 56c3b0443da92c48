import EventStore
import FirstResponder
import Testing

private let caseStream = "case-C-2026A00017"

@Suite("Commands: intake, 72 hours and closure")
struct CaseCommandTests {
    @Test("intake: the 72-hour timers, a linked repeat recovery, an immediate referral and its DCFS clock")
    func intake() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        let first = try await h.run(County.recovery(caseB, youthRef: youthRefB))
        #expect(first.events(TimerScheduled.self).map(\.timerId.rawValue) == ["T-2026A00018-P72", "T-2026A00018-H72"])
        #expect(first.events(TimerScheduled.self).map(\.dueAt) == [at(-10 + 72 * 60), at(-10 + 72 * 60)])
        try await h.run(County.recovery())

        let linked = try await h.run(
            LinkYouthIdentity(
                caseId: caseA, sameAsYouthRef: youthRefB, basis: .advocateRecognition,
                envelope: by(at(1), "user:r-adv001"))
        )
        expectEvents(linked, [("YouthIdentityLinked", caseStream)])
        #expect(linked.first(YouthIdentityLinked.self)?.youthRef == youthRefA)
        #expect(try h.roster().cases(ofYouth: youthRefA) == [caseA, caseB])

        let referral = try await h.run(
            CreateHotlineReferral(
                caseId: caseA, referralNumber: ReferralNumber(rawValue: "0123456789012345678")!,
                responseCategory: .immediate, envelope: by(at(2), "user:hotline-4")))
        expectEvents(referral, [("HotlineReferralCreated", caseStream), ("TimerScheduled", caseStream)])
        #expect(referral.first(TimerScheduled.self)?.timerId.rawValue == "T-2026A00017-HOT")
        #expect(referral.first(TimerScheduled.self)?.dueAt == at(2 + 24 * 60))

        // The first DCFS arrival stops HOTLINE-IMMEDIATE.
        try await h.run(RequestResponse(caseId: caseA, role: .dcfs, envelope: by(at(3))))
        try await h.run(
            AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(4))))
        let arrived = try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: County.dcfs, envelope: by(at(40))))
        #expect(arrived.events(TimerCancelled.self).map(\.timerId.rawValue).contains("T-2026A00017-HOT"))
        #expect(arrived.first(ResponderArrived.self)?.role == .dcfs)

        // A health evaluation meets HEALTH-72; the window of the other case is closed by hand.
        let evaluated = try await h.run(
            CompleteMedicalEvaluation(caseId: caseA, kind: .forensic, envelope: by(at(300), "user:dhs-nurse-2")))
        expectEvents(evaluated, [("MedicalEvaluationCompleted", caseStream), ("TimerCancelled", caseStream)])
        #expect(evaluated.first(TimerCancelled.self)?.timerId.rawValue == "T-2026A00017-H72")
        let window = try await h.run(CloseProtocolWindow(caseId: caseB, envelope: by(at(72 * 60))))
        expectEvents(
            window, [("ProtocolWindowClosed", "case-C-2026A00018"), ("TimerCancelled", "case-C-2026A00018")])
        #expect(window.first(ProtocolWindowClosed.self)?.milestones.healthEvaluation == .notDone)
        #expect(window.first(ProtocolWindowClosed.self)?.decidedAtPosition == Int(window.events[0].position - 1))
    }

    @Test("72 hours: services, health evaluation, placement, MDT, missing and back; the window closes by its timer")
    func protocolWindow() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(40))))
        let steps: [(any Command, [String])] = [
            (
                OfferServices(
                    caseId: caseA, services: [.advocacy, .healthEvaluation, .placement], envelope: by(at(60))),
                ["ServicesOffered"]
            ),
            (
                AcceptServices(caseId: caseA, services: [.advocacy, .placement], envelope: by(at(61))),
                ["ServicesAccepted"]
            ),
            (DeclineServices(caseId: caseA, services: [.healthEvaluation], envelope: by(at(62))), ["ServicesDeclined"]),
            (
                DeclineMedicalEvaluation(
                    caseId: caseA, kind: .routineHealth, declinedBy: .youth, ageAtDecline: 15, envelope: by(at(63))),
                ["MedicalEvaluationDeclined", "TimerCancelled"]
            ),
            (DecidePlacement(caseId: caseA, kind: .ffaFosterFamily, envelope: by(at(120))), ["PlacementDecided"]),
            (
                HoldMDTMeeting(
                    caseId: caseA, participants: [.advocate, .dcfs, .lawEnforcement], envelope: by(at(24 * 60))),
                ["MDTMeetingHeld"]
            ),
            (
                ReportMissing(caseId: caseA, reportedToLawEnforcement: true, envelope: by(at(30 * 60))),
                ["YouthWentMissing"]
            ),
            (ReportReturned(caseId: caseA, how: .locatedByAdvocate, envelope: by(at(40 * 60))), ["YouthReturned"]),
        ]
        for (command, types) in steps {
            let result = try await h.run(command)
            #expect(result.types == types, "\(command.name)")
            #expect(result.events.allSatisfy { $0.stream == caseStream })
        }
        #expect(try h.caseFile(caseA).state.phase == .placed)

        let service = TimerService(store: h.store, index: h.timers)
        let fired = try await service.fireDue(now: at(72 * 60))
        #expect(fired.map(\.timerId) == ["T-2026A00017-P72"])
        let closed = try await h.run(
            HandleTimerFired(
                caseId: caseA, timerId: timerID("T-2026A00017-P72"), envelope: by(at(72 * 60), "system:timers")))
        let window = try #require(closed.first(ProtocolWindowClosed.self))
        #expect(window.windowEndsAt == at(-10 + 72 * 60))
        #expect(window.wentMissingInWindow)
        // The timer's reaction has time-ordered ids at the timer's due time (the window's end).
        for event in closed.events {
            let b = withUnsafeBytes(of: event.id.uuid) { Array($0) }
            #expect(
                b[6] >> 4 == 8
                    && b[0..<6].reduce(Int64(0)) { ($0 << 8) | Int64($1) } == at(-10 + 72 * 60).microseconds / 1_000)
        }
        #expect(
            window.milestones
                == ProtocolWindowClosed.Milestones(
                    hotlineReferralCreated: false, advocateOnScene: true, servicesOffered: true,
                    healthEvaluation: .declined, placementDecided: true, mdtMeetingHeld: true))
        #expect(try h.caseFile(caseA).state.protocolWindowClosed)
        try await h.expectRejection(
            .lifecycle(.protocolWindowAlreadyClosed), CloseProtocolWindow(caseId: caseA, envelope: by(at(73 * 60))))
    }

    @Test("closing winds the case down in the same append; reopening and deeming out of scope follow the lifecycle")
    func closure() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv1, envelope: by(at(40))))
        try await h.run(RequestResponse(caseId: caseA, role: .dcfs, envelope: by(at(41))))
        let closed = try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(200))))
        #expect(
            closed.types == [
                "ResponderCleared", "ResponderStatusChanged", "ResponseCancelled", "TimerCancelled", "TimerCancelled",
                "TimerCancelled", "CaseClosed",
            ])
        #expect(closed.events(TimerCancelled.self).allSatisfy { $0.reasonCode == .caseClosed })
        #expect(try h.timers.pending(in: h.store.environment).isEmpty)
        #expect(try h.caseFile(caseA).state.phase == .closed)

        let reopened = try await h.run(
            ReopenCase(
                caseId: caseA, reasonCode: .youthReEngaged, reason: "The youth asked for the advocate again.",
                envelope: by(at(300))))
        expectEvents(reopened, [("CaseReopened", caseStream)])
        #expect(try h.caseFile(caseA).state.phase == .onScene)

        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(301))))
        let outOfScope = try await h.run(
            DeemOutOfScope(
                caseId: caseB, reasonCode: .duplicateReport, duplicateOfCaseId: caseA, envelope: by(at(302))))
        #expect(outOfScope.types.first == "ResponseCancelled")
        #expect(outOfScope.types.last == "CaseDeemedOutOfScope")
        #expect(outOfScope.first(ResponseCancelled.self)?.reasonCode == .caseOutOfScope)
        #expect(try h.caseFile(caseB).state.closure == .outOfScope)
    }

    @Test("a command id makes a retry idempotent; reusing it for another command is refused")
    func idempotentRetry() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let id = DeterministicID.make("test retry")
        let command = AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1), commandId: id))
        let first = try await h.run(command)
        let head = try h.head()
        let again = try await h.run(command)
        #expect(again.alreadyStored)
        #expect(again.events.map(\.position) == first.events.map(\.position))
        #expect(again.types == first.types)
        #expect(try h.head() == head)
        try await h.expectRejection(
            .duplicateCommand,
            Notify(caseId: caseA, requestId: requestA1, channel: .sms, envelope: by(at(2), commandId: id)))
    }
}
