import EventStore
import FirstResponder
import Testing

@Suite("Commands: operations, arrests, training")
struct RecordCommandTests {
    private let operation = OperationID(rawValue: "OP-SCV2026A")!
    private let arrest = ArrestID(rawValue: "A-2026A0441")!

    @Test("an operation starts once and ends once; arrests are recorded, corrected and voided once")
    func accountability() async throws {
        let h = try await CommandHarness.make()
        let started = try await h.run(
            StartOperation(
                operationId: operation, operationName: "Operation Safe Harbor", agency: .lasd, area: .spa2,
                station: "SCV", focus: .buyerSting, envelope: by(at(-60), "user:sergeant-3")))
        expectEvents(started, [("OperationStarted", "operation-OP-SCV2026A")])
        try await h.expectRejection(
            .alreadyExists,
            StartOperation(
                operationId: operation, operationName: "Again", agency: .lasd, area: .spa2, envelope: by(at(1))))

        try await h.run(County.recovery())
        let recorded = try await h.run(
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: arrest, role: .buyer, agency: .lasd, station: "SCV", area: .spa2, arrestedAt: at(-30),
                    linkedCaseIds: [caseA], charges: ["PC-647(b)"], operationId: operation),
                envelope: by(at(5), "user:deputy-12")))
        expectEvents(recorded, [("ArrestRecorded", "arrest-A-2026A0441")])
        #expect(recorded.events[0].version == 1)

        try await h.expectRejection(
            .outsideOperation,
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: ArrestID(rawValue: "A-2026A0443")!, role: .buyer, agency: .lasd, station: "SCV",
                    area: .spa2, arrestedAt: at(-90), linkedCaseIds: [], operationId: operation),
                envelope: by(at(5))))
        try await h.expectRejection(
            .unknownCase,
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: ArrestID(rawValue: "A-2026A0442")!, role: .trafficker, agency: .lasd, station: "SCV",
                    area: .spa2, arrestedAt: at(-30), linkedCaseIds: [caseA, caseB]),
                envelope: by(at(5))))

        let corrected = try await h.run(
            CorrectArrest(
                arrestId: arrest, corrections: .init(role: .exploiter), reason: "Booking record shows exploiter.",
                envelope: by(at(60), "user:sergeant-3")))
        expectEvents(corrected, [("ArrestCorrected", "arrest-A-2026A0441")])
        let voided = try await h.run(
            VoidArrest(arrestId: arrest, reasonCode: .duplicateEntry, reason: "Entered twice.", envelope: by(at(61))))
        expectEvents(voided, [("ArrestVoided", "arrest-A-2026A0441")])
        #expect(voided.events[0].version == 3)
        try await h.expectRejection(
            .recordClosed,
            VoidArrest(arrestId: arrest, reasonCode: .duplicateEntry, reason: "Again.", envelope: by(at(62))))
        try await h.expectRejection(
            .recordClosed,
            CorrectArrest(arrestId: arrest, corrections: .init(area: .spa3), reason: "Late fix.", envelope: by(at(62))))

        let ended = try await h.run(EndOperation(operationId: operation, envelope: by(at(120))))
        expectEvents(ended, [("OperationEnded", "operation-OP-SCV2026A")])
        try await h.expectRejection(.recordClosed, EndOperation(operationId: operation, envelope: by(at(121))))
    }

    @Test("training sessions are recorded once each; a parent cohort starts and completes once")
    func training() async throws {
        let h = try await CommandHarness.make()
        let session = TrainingSessionHeld(
            sessionId: SessionID(rawValue: "TS-2026A001")!, courseCode: "COURSE-03", courseTitle: "CSEC 101",
            audienceSector: .lawEnforcement, attendees: 42, area: .spa2, delivery: .inPerson, durationMinutes: 240)
        let held = try await h.run(HoldTrainingSession(session: session, envelope: by(at(0), "user:trainer-1")))
        expectEvents(held, [("TrainingSessionHeld", "training")])
        try await h.expectRejection(.alreadyExists, HoldTrainingSession(session: session, envelope: by(at(1))))

        let cohort = CohortID(rawValue: "PC-2026A")!
        let started = try await h.run(
            StartParentCohort(
                cohort: ParentProgramCohortStarted(cohortId: cohort, weeks: 10, participants: 14, area: .spa8),
                envelope: by(at(0), "user:trainer-1")))
        expectEvents(started, [("ParentProgramCohortStarted", "cohort-PC-2026A")])
        try await h.expectRejection(
            .invalidCommand,
            CompleteParentCohort(
                completion: ParentProgramCohortCompleted(cohortId: cohort, participants: 14, completers: 15),
                envelope: by(at(1))))
        let completed = try await h.run(
            CompleteParentCohort(
                completion: ParentProgramCohortCompleted(cohortId: cohort, weeks: 10, participants: 14, completers: 12),
                envelope: by(at(2))))
        expectEvents(completed, [("ParentProgramCohortCompleted", "cohort-PC-2026A")])
        try await h.expectRejection(
            .recordClosed,
            CompleteParentCohort(
                completion: ParentProgramCohortCompleted(cohortId: cohort, participants: 14, completers: 12),
                envelope: by(at(3))))
    }
}
