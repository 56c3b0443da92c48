import EventStore
import FirstResponder
import Testing

@Suite("Commands: optimistic concurrency")
struct ConcurrencyTests {
    private func manual(_ who: ResponderID, case caseId: CaseID = caseA, request: RequestID = requestA1)
        -> AssignManually
    {
        AssignManually(
            caseId: caseId, requestId: request, responderId: who, overrideReason: "Dispatcher's call.",
            envelope: by(at(1)))
    }

    @Test("two assignments decided on the same state: the first append wins, the second conflicts and writes nothing")
    func racingAssignments() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let first = try h.handler.prepare(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let second = try h.handler.prepare(manual(County.adv3))
        #expect(first.expectations["case-C-2026A00017"] == .exactly(5))
        #expect(first.expectations["roster"] == .exactly(6))
        #expect(second.expectations["case-C-2026A00017"] == .exactly(5))
        let won = try await h.handler.commit(first)
        #expect(won.first(ResponderAssigned.self)?.responderId == County.adv1)
        let head = try h.head()
        let rejection = await #expect(throws: CommandRejection.self) { try await h.handler.commit(second) }
        #expect(rejection?.code == .streamVersionConflict)
        #expect(try h.head() == head)
        // Read again and retry: now the request has a responder, and the manual override takes it over.
        let retried = try await h.run(manual(County.adv3))
        #expect(retried.first(AssignmentEscalated.self)?.cause == .manual)
    }

    @Test("one responder assigned to two cases at once: the responder's stream makes the second fail")
    func doubleBooking() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(0))))
        let a = try h.handler.prepare(manual(County.adv2))
        let b = try h.handler.prepare(manual(County.adv2, case: caseB, request: requestID("RQ-2026A00018-1")))
        #expect(b.expectations["responder-R-ADV002"] != nil)
        _ = try await h.handler.commit(a)
        let rejection = await #expect(throws: CommandRejection.self) { try await h.handler.commit(b) }
        #expect(rejection?.code == .streamVersionConflict)
    }

    @Test("many concurrent assignments of one request: each appends on what it read, or conflicts and writes nothing")
    func manyConcurrent() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let handler = h.handler
        let contenders = [County.adv1, County.adv2, County.adv3, County.adv4, County.sup]
        let outcomes = await withTaskGroup(of: String.self) { group in
            for who in contenders {
                let command = manual(who)
                group.addTask {
                    do {
                        _ = try await handler.handle(command)
                        return "ok"
                    } catch let rejection as CommandRejection {
                        return rejection.code.name
                    } catch {
                        return "error: \(error)"
                    }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        // Each loser either lost the append (conflict) or read the winner's assignment and took it
        // over (a manual override of a dispatched request); no command failed any other way, and
        // the case stream holds a consistent story.
        #expect(outcomes.allSatisfy { ["ok", "stream version conflict"].contains($0) }, "\(outcomes)")
        #expect(outcomes.contains("ok"))
        let file = try h.caseFile(caseA)
        #expect(file.lifecycle.rejected.isEmpty)
        let assignments = try h.store.readStream("case-C-2026A00017").filter { $0.type == "ResponderAssigned" }
        #expect(assignments.count == outcomes.filter { $0 == "ok" }.count)
        #expect(file.state.respondersDispatched == 1)
    }
}
