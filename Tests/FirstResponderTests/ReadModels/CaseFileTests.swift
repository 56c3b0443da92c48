import EventStore
import FirstResponder
import Testing

@Suite("Read models: case file")
struct CaseFileTests {
    @Test("the fold of a dispatch: intake facts, the request and its responder, timers pending and fired")
    func foldOfDispatch() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        let service = TimerService(store: h.store, index: h.timers)
        _ = try await service.fireDue(now: at(7))
        let file = try h.caseFile(caseA)
        #expect(file.exists && file.youthRef == youthRefA && file.area == .spa2 && file.station == "SCV")
        #expect(file.ageAtContact == 15 && !file.awol && file.contactAt == at(-10))
        #expect(file.protocolWindowEndsAt == at(-10 + 72 * 60))
        let request = try #require(file.request(requestA1))
        #expect(request.number == 1 && request.role == .advocate && request.phase == .dispatched)
        #expect(request.assigned == County.adv1 && request.assignmentMode == .auto)
        #expect(request.recommendation?.candidates.count == 3)
        #expect(request.notificationAttempts == 1 && request.notifiedAt == at(1))
        #expect(request.ackTimerId == nil)  // fired by the service, not yet handled
        #expect(file.firedTimers.keys.map(\.rawValue) == ["T-2026A00017-1-ACK-1"])
        #expect(!file.handledTimers.contains(timerID("T-2026A00017-1-ACK-1")))
        #expect(
            Set(file.pendingTimers.keys.map(\.rawValue)) == [
                "T-2026A00017-P72", "T-2026A00017-H72", "T-2026A00017-1-SCENE",
            ])
        #expect(file.state.phase == .responding && file.state.respondersDispatched == 1)
        #expect(file.lastPosition == (try h.store.streamHead("case-C-2026A00017")?.lastPosition))
        // A prefix of the stream folds to the case as it stood then.
        let before = try CaseFile.load(caseA, from: h.store, throughVersion: 5)
        #expect(before.request(requestA1)?.phase == .awaiting && before.version == 5)
    }

    @Test("events the lifecycle refuses, or that do not decode, stay out of the facts")
    func refusedAndUndecodable() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        // Written around the command layer: an arrival nobody was dispatched for, and a broken payload.
        let arrival = ResponderArrived(caseId: caseA, requestId: requestA1, responderId: County.adv2, role: .advocate)
        let broken = NewEvent(
            stream: "case-C-2026A00017", type: "ResponderArrived", occurredAt: at(3), actor: "user:import",
            payload: Array(#"{"caseId": 7}"#.utf8))
        _ = try await h.store.append(
            AppendRequest(events: [arrival.newEvent(occurredAt: at(2), actor: "user:import"), broken]))
        let file = try h.caseFile(caseA)
        #expect(file.lifecycle.rejected.map(\.violation.rule) == [.arrivalBeforeDispatch])
        #expect(file.request(requestA1)?.phase == .awaiting && file.request(requestA1)?.arrival == nil)
        #expect(file.undecodable.count == 1)
        #expect(file.version == 7)
        // The rules do not decide on a stream they cannot fully read: commands on it are refused,
        // naming the position, until an operator repairs the log.
        let refused = try await h.expectRejection(
            .undecodableEvent, AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(4))))
        #expect(
            refused?.message.contains("position \(file.lastPosition)") == true,
            "\(refused.map(String.init(describing:)) ?? "")")
    }
}
