import EventStore
import FirstResponder
import Foundation
import Testing

/// Sealing writes to the vault and to the log, which share no transaction: a sealing stopped in
/// between must leave a way to finish, and never a log and a vault that disagree for good.
@Suite("Commands: sealing stopped half-way")
struct SealingAtomicityTests {
    /// A closed case A of youth A, whose details the vault holds.
    static func closedCase() async throws -> CommandHarness {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        try await h.run(County.recovery())
        var rng = SystemRandomNumberGenerator()
        try h.vault.store(
            YouthDetails(givenName: "Test", familyName: "Youth", dateOfBirth: "2010-04-17"), for: youthRefA.rawValue,
            using: &rng)
        try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(100))))
        return h
    }

    @Test("a crash after the vault sealed and before RecordSealed: the recorded intent finishes it, once")
    func crashBetween() async throws {
        let h = try await Self.closedCase()
        let version = try #require(try h.store.streamHead(CaseFile.stream(caseA))).version
        let event = RecordSealed(
            caseId: caseA, youthRef: youthRefA, scope: .youth, legalBasis: .wic781, authorisedBy: "user:judge-1"
        ).newEvent(
            occurredAt: at(200), actor: "user:supervisor-3", id: DeterministicID.make("crash between"))
        let request = AppendRequest(events: [event], expectations: [event.stream: .exactly(version)])
        // What the process did before it died: the vault step, intent included.
        try h.vault.seal(
            [youthRefA.rawValue], authorisedBy: "user:judge-1", legalBasis: .wic781, at: at(200),
            completing: PendingSeal(request: request))
        let head = try h.head()
        #expect(try h.vault.pendingSeals().count == 1)
        #expect(try h.caseFile(caseA).state.phase == .closed, "the log does not say sealed yet")

        let finished = try await h.handler.finishInterruptedSeals()
        #expect(finished.count == 1 && finished[0].positions == [head + 1])
        #expect(try h.caseFile(caseA).state.phase == .sealed)
        #expect(try h.vault.pendingSeals().isEmpty)
        // Finishing again does nothing; and had it died after the append, finishing writes nothing.
        #expect(try await h.handler.finishInterruptedSeals().isEmpty)
        try h.vault.seal(
            [youthRefA.rawValue], authorisedBy: "user:judge-1", legalBasis: .wic781, at: at(200),
            completing: PendingSeal(request: request))
        let again = try await h.handler.finishInterruptedSeals()
        #expect(again.count == 1 && again[0].positions == [head + 1])
        #expect(try h.head() == head + 1)
    }

    @Test(
        "an append refused after the vault step (a case changed meanwhile) keeps the intent until the command runs again"
    )
    func conflictBetween() async throws {
        let h = try await Self.closedCase()
        let seal = SealRecord(
            caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-1", envelope: by(at(200), "user:supervisor-3")
        )
        let prepared = try h.handler.prepare(seal)
        // Another command reopens the case between the checks and the append.
        try await h.run(
            ReopenCase(caseId: caseA, reasonCode: .closedInError, reason: "Wrong case.", envelope: by(at(150))))
        await #expect(throws: CommandRejection.self) { try await h.handler.commit(prepared) }
        if case .sealed = try h.vault.read(youthRefA.rawValue) {} else { Issue.record("the vault step did not run") }
        #expect(try h.caseFile(caseA).state.phase.isOpen)

        // The intent cannot be finished over the reopened case: it stays, and says why.
        let stale = try await h.handler.finishInterruptedSeals()
        #expect(stale.count == 1 && stale[0].positions == nil && stale[0].refusal != nil)
        #expect(try h.vault.pendingSeals().count == 1)

        // Closing the case and sealing again finishes it.
        try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(160))))
        let sealed = try await h.run(
            SealRecord(
                caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-1",
                envelope: by(at(210), "user:supervisor-3")))
        #expect(sealed.types == ["RecordSealed"])
        #expect(try h.caseFile(caseA).state.phase == .sealed)
        #expect(try h.vault.pendingSeals().isEmpty)
    }
}
