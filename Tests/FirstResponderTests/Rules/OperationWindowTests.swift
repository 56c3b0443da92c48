import EventStore
import FirstResponder
import Testing

/// An arrest or recovery in an operation falls inside it, and stays inside it: ending the operation
/// or correcting its window may not leave one out.
@Suite("Rules: an operation's window keeps the facts already in it")
struct OperationWindowTests {
    static let operation = OperationID(rawValue: "OP-SCV2026A")!

    /// The county, operation OP-SCV2026A from at(-60), an arrest in it at at(-20) (recorded at at(2)),
    /// and case A's recovery in it (contact at(-10)).
    static func seeded() async throws -> CommandHarness {
        let h = try await CommandHarness.make()
        try await h.run(
            StartOperation(
                operationId: operation, operationName: "Operation Safe Harbor", agency: .lasd, area: .spa2,
                envelope: by(at(-60))))
        try await h.run(
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: ArrestID(rawValue: "A-2026A0441")!, role: .buyer, agency: .lasd, station: "SCV",
                    area: .spa2, arrestedAt: at(-20), linkedCaseIds: [], operationId: operation),
                envelope: by(at(2))))
        try await h.run(
            ReportRecovery(
                caseId: caseA, youthRef: youthRefA, agency: .lasd, station: "SCV", area: .spa2, contactAt: at(-10),
                context: .operation, operationId: operation, envelope: by(at(3))))
        return h
    }

    @Test("ending the operation before a fact in it is refused, naming the fact and the window")
    func endBeforeAFact() async throws {
        let h = try await Self.seeded()
        let early = try await h.expectRejection(
            .outsideOperation, EndOperation(operationId: Self.operation, envelope: by(at(-15))))
        #expect(
            early?.message.contains("the recovery of case C-2026A00017 at \(at(-10))") == true,
            "\(early.map(String.init(describing:)) ?? "")")
        try await h.run(EndOperation(operationId: Self.operation, envelope: by(at(30))))
    }

    @Test("a corrected window that leaves out an arrest is refused; one that keeps it is taken")
    func correctedWindow() async throws {
        let h = try await Self.seeded()
        try await h.run(EndOperation(operationId: Self.operation, envelope: by(at(30))))
        let later = try await h.expectRejection(
            .outsideOperation,
            CorrectOperation(
                operationId: Self.operation, corrections: .init(startedAt: at(-15)), reason: "Briefing ran late.",
                envelope: by(at(40))))
        #expect(later?.field == "/corrections/startedAt")
        #expect(later?.message.contains("arrest A-2026A0441") == true, "\(later.map(String.init(describing:)) ?? "")")
        try await h.expectRejection(
            .outsideOperation,
            CorrectOperation(
                operationId: Self.operation, corrections: .init(endedAt: at(-12)), reason: "Teams cleared early.",
                envelope: by(at(40))))
        try await h.run(
            CorrectOperation(
                operationId: Self.operation, corrections: .init(startedAt: at(-30), endedAt: at(0)),
                reason: "Times from the after-action report.", envelope: by(at(40))))
        // Once the arrest is unlinked, the window may leave it out.
        try await h.run(
            CorrectArrest(
                arrestId: ArrestID(rawValue: "A-2026A0441")!, corrections: .init(operationId: .null),
                reason: "Not part of the operation.", envelope: by(at(41))))
        try await h.run(
            CorrectOperation(
                operationId: Self.operation, corrections: .init(startedAt: at(-15)), reason: "Briefing ran late.",
                envelope: by(at(42))))
    }

    @Test(
        "a fact linked long after the start, even an arrest recorded before the operation, is found by a handler that never saw it"
    )
    func factLinkedLater() async throws {
        let h = try await CommandHarness.make()
        let second = OperationID(rawValue: "OP-SCV2026B")!
        let early = ArrestID(rawValue: "A-2026A0442")!
        let unlinked = ArrestID(rawValue: "A-2026A0443")!
        // Two arrests recorded before the operation starts, neither in it.
        for id in [early, unlinked] {
            try await h.run(
                RecordArrest(
                    arrest: ArrestRecorded(
                        arrestId: id, role: .buyer, agency: .lasd, station: "SCV", area: .spa2, arrestedAt: at(-5),
                        linkedCaseIds: []),
                    envelope: by(at(-4))))
        }
        try await h.run(
            StartOperation(
                operationId: second, operationName: "Operation Open Door", agency: .lasd, area: .spa2,
                envelope: by(at(-60))))
        // Other streams change in between.
        try await h.run(
            ReportRecovery(
                caseId: caseB, youthRef: youthRefB, agency: .lasd, station: "SCV", area: .spa2, contactAt: at(1),
                context: .street, envelope: by(at(2))))
        // The first arrest is linked to the operation by a correction.
        try await h.run(
            CorrectArrest(
                arrestId: early, corrections: .init(operationId: .value(second)), reason: "Part of the sting.",
                envelope: by(at(50))))
        // A handler with nothing cached folds everything from the log.
        let fresh = CommandHandler(store: h.store, vault: h.vault, clock: { testsReceivedAt })
        let before = try h.head()
        let refused = await #expect(throws: CommandRejection.self) {
            try await fresh.handle(EndOperation(operationId: second, envelope: by(at(-10))))
        }
        #expect(refused?.code == .outsideOperation)
        #expect(
            refused?.message.contains("arrest \(early) at \(at(-5))") == true,
            "\(refused.map(String.init(describing:)) ?? "")")
        #expect(try h.head() == before)
        // Unlinked, the arrest no longer holds the end back; the other never named the operation.
        try await h.run(
            CorrectArrest(
                arrestId: early, corrections: .init(operationId: .null), reason: "Not part of the operation.",
                envelope: by(at(51))))
        _ = try await fresh.handle(EndOperation(operationId: second, envelope: by(at(-10))))
    }
}
