import EventStore
import FirstResponder
import Projections
import Testing
import VigilTestSupport

@Suite("Corrections and voids of training, cohorts and operations")
struct CorrectionFiguresTests {
    @Test("a corrected attendee count, course or day counts as corrected; a voided session or cohort is not counted")
    func training() async throws {
        let h = try Harness()
        for n in 0..<3 {
            try await h.run(
                HoldTrainingSession(
                    session: TrainingSessionHeld(
                        sessionId: SessionID(rawValue: "TS-000\(n)")!, courseCode: "COURSE-02", courseTitle: "Course",
                        audienceSector: .lawEnforcement, attendees: 10 + n),
                    envelope: by(at(Int64(n)))))
        }
        try await h.run(
            CorrectTrainingSession(
                sessionId: SessionID(rawValue: "TS-0000")!,
                corrections: .init(courseCode: "COURSE-08", attendees: 100), reason: "Sign-in sheet counted 100.",
                envelope: by(at(10))))
        try await h.run(
            CorrectTrainingSession(
                sessionId: SessionID(rawValue: "TS-0001")!, corrections: .init(heldAt: at(-60 * 24 * 40)),
                reason: "Held the month before.", envelope: by(at(11))))
        try await h.run(
            VoidTrainingSession(
                sessionId: SessionID(rawValue: "TS-0002")!, reasonCode: .duplicateEntry, reason: "Entered twice.",
                envelope: by(at(12))))
        let all = try h.read { try TrainingQuery().run($0) }
        #expect(all.sessions == 2 && all.peopleTrained == 111)
        #expect(all.byCourse.map(\.key) == ["COURSE-02", "COURSE-08"])
        let recent = try h.read { try TrainingQuery(period: Period(from: at(-60), to: at(60))).run($0) }
        #expect(recent.sessions == 1 && recent.peopleTrained == 100, "the session moved to the day it was held")

        for (n, id) in ["PC-001", "PC-002"].enumerated() {
            try await h.run(
                StartParentCohort(
                    cohort: ParentProgramCohortStarted(
                        cohortId: CohortID(rawValue: id)!, weeks: 10, participants: 18 + n),
                    envelope: by(at(5))))
        }
        let cohort = CohortID(rawValue: "PC-001")!
        try await h.run(
            CompleteParentCohort(
                completion: ParentProgramCohortCompleted(cohortId: cohort, participants: 16, completers: 14),
                envelope: by(at(60 * 24 * 70))))
        try await h.run(
            CorrectParentCohort(
                cohortId: cohort, corrections: .init(participants: 20, completers: 15), reason: "Attendance sheets.",
                envelope: by(at(60 * 24 * 71))))
        try await h.run(
            VoidParentCohort(
                cohortId: CohortID(rawValue: "PC-002")!, reasonCode: .enteredInError, reason: "Never held.",
                envelope: by(at(60 * 24 * 71))))
        let c = try h.read { try TrainingQuery().run($0) }.cohorts
        #expect(c.started == 1 && c.completed == 1 && c.participants == 20 && c.completers == 15)
    }

    @Test("a corrected operation is listed as corrected; the arrests of a voided one are in no named operation")
    func operations() async throws {
        let h = try Harness()
        for (id, name) in [("OP-SH1", "Safe Harbor"), ("OP-SH2", "Safe Harbor (twice)")] {
            try await h.run(
                StartOperation(
                    operationId: OperationID(rawValue: id)!, operationName: name, agency: .lasd, area: .spa2,
                    envelope: by(at(0))))
            try await h.run(
                RecordArrest(
                    arrest: ArrestRecorded(
                        arrestId: ArrestID(rawValue: "A-\(id.dropFirst(3))00")!, role: .buyer, agency: .lasd,
                        station: "SCV",
                        area: .spa2, arrestedAt: at(5), linkedCaseIds: [], operationId: OperationID(rawValue: id)),
                    envelope: by(at(10))))
        }
        try await h.run(
            CorrectOperation(
                operationId: OperationID(rawValue: "OP-SH1")!,
                corrections: .init(name: "Operation Safe Harbor", startedAt: at(-30)), reason: "Briefing at 23:30.",
                envelope: by(at(20))))
        try await h.run(
            VoidOperation(
                operationId: OperationID(rawValue: "OP-SH2")!, reasonCode: .duplicateEntry, reason: "Entered twice.",
                envelope: by(at(21))))
        let figures = try h.read { try ArrestsQuery().run($0) }
        #expect(figures.total == 2)
        #expect(figures.byOperation["Operation Safe Harbor"] == 1 && figures.byOperation["none"] == 1)
        let operations = try h.read { try $0.rows(ArrestsProjection.operations) }
        #expect(operations.map(\.operationId) == ["OP-SH1"])
        #expect(operations.first?.startedAt == at(-30).microseconds)
    }

    @Test(
        "an arrest's agency corrected from an independent department to a named agency drops the department's name, as the rules do"
    )
    func arrestAgency() async throws {
        let h = try Harness()
        try await h.run(
            RegisterAgency(
                agency: .other, agencyName: "Pasadena Police Department",
                agencyFullName: "Pasadena Police Department", envelope: by(at(1))))
        try await h.run(
            RegisterStation(
                station: "PASADENA", stationName: "Pasadena PD", agency: .other,
                agencyName: "Pasadena Police Department", area: .spa3, envelope: by(at(2))))
        let id = ArrestID(rawValue: "A-PAS001")!
        let arrest = ArrestRecorded(
            arrestId: id, role: .buyer, agency: .other, agencyName: "Pasadena Police Department",
            station: "PASADENA", area: .spa3, arrestedAt: at(5), linkedCaseIds: [])
        try await h.run(RecordArrest(arrest: arrest, envelope: by(at(10))))
        try await h.run(
            CorrectArrest(
                arrestId: id, corrections: .init(agency: .lasd, station: "SCV", area: .spa2),
                reason: "A sheriff's arrest.", envelope: by(at(20))))
        let row = try #require(try h.read { try $0.rows(ArrestsProjection.arrests) }.first)
        #expect(row.agency == "LASD" && row.agencyName == nil && row.corrections == 1)
        #expect(row.station == "SCV" && row.area == "SPA2" && row.role == "buyer")
    }
}
