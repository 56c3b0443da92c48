import EventStore
import FirstResponder
import Projections
import Testing
import VigilTestSupport

@Suite("Recoveries, milestones, arrests, training")
struct FiguresTests {
    @Test("recoveries and unique youth differ; linked references are one youth; out of scope is not a recovery")
    func recoveries() async throws {
        let h = try Harness()
        try await h.report(caseA, youth: "Y-7K2M9Q4D1X")
        try await h.report(caseB, youth: "Y-3F8H6J2L5N")
        let caseC = CaseID(rawValue: "C-2026A00019")!
        try await h.report(caseC, youth: "Y-9Z9Z9Z9Z9Z")
        // Case B's youth is case A's youth, recognised later; case C is not a protocol case.
        try await h.run(
            LinkYouthIdentity(
                caseId: caseB, sameAsYouthRef: YouthRef(rawValue: "Y-7K2M9Q4D1X")!, basis: .advocateRecognition,
                envelope: by(at(30))))
        try await h.run(DeemOutOfScope(caseId: caseC, reasonCode: .outsideCounty, envelope: by(at(31))))
        let figures = try h.read { try RecoveriesQuery().run($0) }
        #expect(figures.recoveries == 2 && figures.uniqueYouth == 1 && figures.repeats == 1)
        #expect(figures.outOfScope["outside-county"] == 1)
        #expect(figures.byAgeBand.map(\.key) == ["14-15"])
        #expect(figures.byMonth.map(\.key) == ["2026-03"])
        let none = try h.read { try RecoveriesQuery(period: Period(from: at(100))).run($0) }
        #expect(none.recoveries == 0)
    }

    @Test("milestones count what fell inside the 72-hour window, of the cases whose window has ended")
    func milestones() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.report(caseB, youth: "Y-3F8H6J2L5N")
        try await h.run(OfferServices(caseId: caseA, services: [.advocacy], envelope: by(at(60))))
        try await h.run(
            DecidePlacement(caseId: caseA, kind: .shelter, envelope: by(at(60 * 71))))
        try await h.run(CompleteMedicalEvaluation(caseId: caseB, kind: .routineHealth, envelope: by(at(60 * 80))))
        let running = try h.read { try MilestonesQuery(now: at(60 * 24)).run($0) }
        #expect(running.cases == 2 && running.windowEnded == 0 && running.windowRunning == 2)
        let ended = try h.read { try MilestonesQuery(now: at(60 * 100)).run($0) }
        #expect(ended.windowEnded == 2)
        #expect(ended.servicesOffered.count == 1 && ended.servicesOffered.percent == 50)
        #expect(ended.placement.count == 1 && ended.placementByKind["shelter"] == 1)
        #expect(ended.healthEvaluationCompleted.count == 0, "case B's came after its 72 hours")
    }

    @Test("arrests: corrections applied, voids never counted but listed by reason")
    func arrests() async throws {
        let h = try Harness()
        func arrest(_ id: String, _ role: ArrestRole) -> RecordArrest {
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: ArrestID(rawValue: id)!, role: role, agency: .lasd, station: "SCV", area: .spa2,
                    arrestedAt: at(0), linkedCaseIds: []),
                envelope: by(at(10)))
        }
        try await h.run(arrest("A-0001", .buyer))
        try await h.run(arrest("A-0002", .buyer))
        try await h.run(arrest("A-0003", .trafficker))
        try await h.run(
            CorrectArrest(
                arrestId: ArrestID(rawValue: "A-0002")!,
                corrections: .init(role: .exploiter, station: "WEST-HOLLYWOOD", area: .spa4),
                reason: "wrong role entered", envelope: by(at(20))))
        try await h.run(
            VoidArrest(
                arrestId: ArrestID(rawValue: "A-0003")!, reasonCode: .duplicateEntry, reason: "entered twice",
                envelope: by(at(21))))
        let figures = try h.read { try ArrestsQuery().run($0) }
        #expect(figures.total == 2 && figures.corrected == 1)
        #expect(figures.byRole["buyer"] == 1 && figures.byRole["exploiter"] == 1 && figures.byRole["trafficker"] == 0)
        #expect(figures.byArea["SPA4"] == 1 && figures.voided["duplicate-entry"] == 1)
        #expect(figures.byOperation["none"] == 2)
    }

    @Test("training: classes and people trained by course and sector; cohorts started and completed")
    func training() async throws {
        let h = try Harness()
        for (n, sector) in [AudienceSector.lawEnforcement, .lawEnforcement, .education].enumerated() {
            try await h.run(
                HoldTrainingSession(
                    session: TrainingSessionHeld(
                        sessionId: SessionID(rawValue: "TS-000\(n)")!, courseCode: n == 2 ? "COURSE-08" : "COURSE-02",
                        courseTitle: "Course", audienceSector: sector, attendees: 10 + n),
                    envelope: by(at(Int64(n)))))
        }
        let cohort = CohortID(rawValue: "PC-001")!
        try await h.run(
            StartParentCohort(
                cohort: ParentProgramCohortStarted(cohortId: cohort, weeks: 10, participants: 18), envelope: by(at(5))))
        try await h.run(
            CompleteParentCohort(
                completion: ParentProgramCohortCompleted(cohortId: cohort, participants: 16, completers: 14),
                envelope: by(at(60 * 24 * 70))))
        let figures = try h.read { try TrainingQuery().run($0) }
        #expect(figures.sessions == 3 && figures.peopleTrained == 33)
        #expect(figures.byCourse.map(\.key) == ["COURSE-02", "COURSE-08"])
        #expect(figures.bySector.first { $0.key == "law-enforcement" }?.attendees == 21)
        let c = figures.cohorts
        #expect(c.started == 1 && c.completed == 1 && c.participants == 18 && c.completers == 14)
    }
}
