import EventStore
import FirstResponder
import Testing

@Suite("Rules: which time places a fact in a reporting period")
struct ReportingTimeTests {
    @Test("recoveries and their cases by contact, arrests by arrest time as corrected, classes by the day held")
    func placing() {
        let contact = at(-10)
        let recovery = County.recovery().recoveryEvent
        #expect(ReportingTime.instant(of: .recoveryReported(recovery), occurredAt: at(30)) == contact)
        let arrival = ResponderArrived(caseId: caseA, requestId: requestA1, responderId: County.adv1, role: .advocate)
        #expect(
            ReportingTime.instant(of: .responderArrived(arrival), occurredAt: at(80), caseContactAt: contact) == contact
        )
        let arrest = ArrestRecorded(
            arrestId: ArrestID(rawValue: "A-2026A0441")!, role: .buyer, agency: .lasd, station: "SCV", area: .spa2,
            arrestedAt: at(-300), linkedCaseIds: [])
        #expect(ReportingTime.instant(of: .arrestRecorded(arrest), occurredAt: at(0)) == at(-300))
        let corrected = arrest.applying(.init(arrestedAt: at(-400)))
        #expect(ReportingTime.instant(of: .arrestRecorded(corrected), occurredAt: at(0)) == at(-400))
        let correction = ArrestCorrected(
            arrestId: arrest.arrestId, corrections: .init(arrestedAt: at(-400)), reason: "Booking record.")
        #expect(ReportingTime.instant(of: .arrestCorrected(correction), occurredAt: at(5)) == nil)
        let session = TrainingSessionHeld(
            sessionId: SessionID(rawValue: "TS-2026A001")!, courseCode: "COURSE-03", courseTitle: "CSEC 101",
            audienceSector: .lawEnforcement, attendees: 42)
        #expect(ReportingTime.instant(of: .trainingSessionHeld(session), occurredAt: at(-9_000)) == at(-9_000))
        let shift = County.shift(0, County.adv1)
        #expect(ReportingTime.instant(of: .shiftScheduled(shift), occurredAt: at(0)) == nil)
    }
}
