import EventStore
import FirstResponder
import Foundation
import Testing

/// An import line for `event` at `t`.
func importLine(_ event: any DomainEvent, at t: Timestamp, actor: String = "user:importer") -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.field("stream", event.streamName)
    w.field("type", event.eventType)
    w.field("occurredAt", t.rfc3339)
    w.field("actor", actor)
    w.key("data")
    w.raw(event.jsonBytes())
    w.endObject()
    return w.bytes
}

/// One line the rules must refuse, and where and why.
struct RefusedLine: Sendable, CustomTestStringConvertible {
    let what: String
    let event: any DomainEvent
    let at: Timestamp
    let rule: String
    let pointer: String
    var testDescription: String { what }
}

private let arrest = ArrestID(rawValue: "A-2026A0441")!
private let voidedArrest = ArrestID(rawValue: "A-2026A0440")!
private let operation = OperationID(rawValue: "OP-SCV2026A")!
private let voidedOperation = OperationID(rawValue: "OP-SCV2026B")!
private let voidedSession = SessionID(rawValue: "TS-2026A009")!
private let cohort = CohortID(rawValue: "PC-2026A01")!
private let session = TrainingSessionHeld(
    sessionId: SessionID(rawValue: "TS-2026A001")!, courseCode: "COURSE-03", courseTitle: "CSEC 101",
    audienceSector: .lawEnforcement, attendees: 42)

private func arrestRecorded(
    _ id: ArrestID = ArrestID(rawValue: "A-2026A0442")!, arrestedAt: Timestamp = at(-20),
    operationId: OperationID? = nil
) -> ArrestRecorded {
    ArrestRecorded(
        arrestId: id, role: .buyer, agency: .lasd, station: "SCV", area: .spa2, arrestedAt: arrestedAt,
        linkedCaseIds: [], operationId: operationId)
}

/// A recovery in case B at `station` of `agency` in `area`, contact at at(4).
private func recoveryAt(_ station: String, _ agency: Agency = .lasd, _ area: Area = .spa2) -> RecoveryReported {
    ReportRecovery(
        caseId: caseB, youthRef: youthRefB, agency: agency, station: station, area: area, contactAt: at(4),
        context: .street, envelope: by(at(5))
    ).recoveryEvent
}

private let refused: [RefusedLine] = [
    RefusedLine(
        what: "an arrival in a case never reported",
        event: ResponderArrived(
            caseId: caseB, requestId: requestID("RQ-2026A00018-1"), responderId: County.adv1, role: .advocate),
        at: at(5), rule: "case not reported", pointer: "/data/caseId"),
    RefusedLine(
        what: "a second RecoveryReported", event: County.recovery().recoveryEvent, at: at(5),
        rule: "case already reported", pointer: "/data/caseId"),
    RefusedLine(
        what: "an arrival for a request nobody has",
        event: ResponderArrived(
            caseId: caseA, requestId: requestID("RQ-2026A00017-9"), responderId: County.adv1, role: .advocate),
        at: at(5), rule: "unknown request", pointer: "/data/requestId"),
    RefusedLine(
        what: "an arrival by a responder not dispatched",
        event: ResponderArrived(
            caseId: caseA, requestId: requestA1, responderId: County.adv2, role: .advocate),
        at: at(5), rule: "responder not assigned", pointer: "/data/responderId"),
    RefusedLine(
        what: "an arrival before its request",
        event: ResponderArrived(
            caseId: caseA, requestId: requestA1, responderId: County.adv1, role: .advocate),
        at: at(-2), rule: "before its request", pointer: "/occurredAt"),
    RefusedLine(
        what: "a void of an unknown arrest",
        event: ArrestVoided(
            arrestId: ArrestID(rawValue: "A-2026X0001")!, reasonCode: .duplicateEntry, reason: "Twice."),
        at: at(5), rule: "unknown record", pointer: "/data/arrestId"),
    RefusedLine(
        what: "a void of a voided arrest",
        event: ArrestVoided(
            arrestId: voidedArrest, reasonCode: .duplicateEntry, reason: "Twice."),
        at: at(5), rule: "record closed", pointer: "/data/arrestId"),
    RefusedLine(
        what: "a correction of a voided arrest",
        event: ArrestCorrected(
            arrestId: voidedArrest, corrections: .init(role: .trafficker), reason: "Booking record."),
        at: at(5), rule: "record closed", pointer: "/data/arrestId"),
    RefusedLine(
        what: "ArrestRecorded twice in one stream", event: arrestRecorded(arrest), at: at(5), rule: "already exists",
        pointer: "/data/arrestId"),
    RefusedLine(
        what: "an arrest naming an unknown operation",
        event: arrestRecorded(
            operationId: OperationID(rawValue: "OP-NOWHERE")!),
        at: at(5), rule: "unknown record", pointer: "/data/operationId"),
    RefusedLine(
        what: "an arrest outside its operation", event: arrestRecorded(arrestedAt: at(-200), operationId: operation),
        at: at(5), rule: "outside the operation", pointer: "/data/arrestedAt"),
    RefusedLine(
        what: "a duplicate training session id", event: session, at: at(5), rule: "already exists",
        pointer: "/data/sessionId"),
    RefusedLine(
        what: "an arrest after the moment it was recorded", event: arrestRecorded(arrestedAt: at(30)), at: at(5),
        rule: "after its report", pointer: "/data/arrestedAt"),
    RefusedLine(
        what: "a contact six months after its report",
        event: ReportRecovery(
            caseId: caseB, youthRef: youthRefB, agency: .lasd, station: "SCV", area: .spa2,
            contactAt: at(60 * 24 * 182), context: .street, envelope: by(at(5))
        ).recoveryEvent,
        at: at(5), rule: "after its report", pointer: "/data/contactAt"),
    RefusedLine(
        what: "a correction dated before its arrest was recorded",
        event: ArrestCorrected(
            arrestId: arrest, corrections: .init(role: .trafficker), reason: "Booking record."),
        at: at(1), rule: "before its fact", pointer: "/occurredAt"),
    RefusedLine(
        what: "an event dated after the log received it", event: session, at: testsReceivedAt.adding(seconds: 301),
        rule: "in the future", pointer: "/occurredAt"),
    RefusedLine(
        what: "a case event before the contact",
        event: HotlineReferralCreated(
            caseId: caseA, referralNumber: ReferralNumber(rawValue: "1903202600017402915")!,
            responseCategory: .immediate),
        at: at(-30), rule: "before contact", pointer: "/occurredAt"),
    // The county's reference data (the shipped Los Angeles County list, LB-EAST retired at at(3)).
    RefusedLine(
        what: "a recovery at a station the county does not have", event: recoveryAt("NOWHERE"), at: at(5),
        rule: "unknown code", pointer: "/data/station"),
    RefusedLine(
        what: "a recovery at a station of another agency", event: recoveryAt("SCV", .lapd), at: at(5),
        rule: "station under another agency or area", pointer: "/data/station"),
    RefusedLine(
        what: "an arrest at a station of another area",
        event: ArrestRecorded(
            arrestId: ArrestID(rawValue: "A-2026A0442")!, role: .buyer, agency: .lasd, station: "SCV", area: .spa4,
            arrestedAt: at(-20), linkedCaseIds: []),
        at: at(5), rule: "station under another agency or area", pointer: "/data/station"),
    RefusedLine(
        what: "a recovery at a retired station", event: recoveryAt("LB-EAST", .lbpd, .spa8), at: at(5),
        rule: "retired code", pointer: "/data/station"),
    RefusedLine(
        what: "a training session of a course never registered",
        event: TrainingSessionHeld(
            sessionId: SessionID(rawValue: "TS-2026A002")!, courseCode: "COURSE-99", courseTitle: "CSEC 999",
            audienceSector: .education, attendees: 12),
        at: at(5), rule: "unknown code", pointer: "/data/courseCode"),
    RefusedLine(
        what: "a station registered twice",
        event: StationRegistered(station: "SCV", name: "Santa Clarita", agency: .lasd, area: .spa2), at: at(5),
        rule: "already exists", pointer: "/data/station"),
    RefusedLine(
        what: "a station registered under an agency the county does not have",
        event: StationRegistered(
            station: "PASADENA", name: "Pasadena PD", agency: .other, agencyName: "Pasadena PD", area: .spa3),
        at: at(5), rule: "unknown code", pointer: "/data/agencyName"),
    RefusedLine(
        what: "an agency retired while its stations are in use", event: AgencyRetired(agency: .lbpd), at: at(5),
        rule: "code in use", pointer: "/data/agency"),
]

@Suite("Rules: imports meet the rules commands meet")
struct ImportRuleTests {
    /// The county, case A with R-ADV001 dispatched on its request, an operation from at(-60), arrest
    /// A-2026A0441 recorded at at(2), A-2026A0440 recorded and voided, one training session, and
    /// station LB-EAST retired at at(3); operation OP-SCV2026B and session TS-2026A009 voided, cohort
    /// PC-2026A01 started.
    static func seeded() async throws -> CommandHarness {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.run(
            StartOperation(
                operationId: operation, operationName: "Operation Safe Harbor", agency: .lasd, area: .spa2,
                envelope: by(at(-60))))
        try await h.run(RecordArrest(arrest: arrestRecorded(arrest), envelope: by(at(2))))
        try await h.run(RecordArrest(arrest: arrestRecorded(voidedArrest), envelope: by(at(2))))
        try await h.run(
            VoidArrest(arrestId: voidedArrest, reasonCode: .duplicateEntry, reason: "Twice.", envelope: by(at(3))))
        try await h.run(HoldTrainingSession(session: session, envelope: by(at(3))))
        try await h.run(RetireStation(station: "LB-EAST", reason: "Division merged.", envelope: by(at(3))))
        try await h.run(
            StartOperation(
                operationId: voidedOperation, operationName: "Operation Safe Harbor (twice)", agency: .lasd,
                area: .spa2,
                envelope: by(at(-60))))
        try await h.run(
            VoidOperation(
                operationId: voidedOperation, reasonCode: .duplicateEntry, reason: "Twice.", envelope: by(at(3))))
        var twice = session
        twice.sessionId = voidedSession
        try await h.run(HoldTrainingSession(session: twice, envelope: by(at(3))))
        try await h.run(
            VoidTrainingSession(
                sessionId: voidedSession, reasonCode: .duplicateEntry, reason: "Twice.", envelope: by(at(3))))
        try await h.run(
            StartParentCohort(
                cohort: ParentProgramCohortStarted(cohortId: cohort, weeks: 10, participants: 12), envelope: by(at(3))))
        return h
    }

    @Test("every refusal names the rule and the field", arguments: refused)
    func refusal(_ line: RefusedLine) async throws {
        let h = try await Self.seeded()
        let admission = Admission(store: h.store)
        let checked = try EventCatalog.checkLine(importLine(line.event, at: line.at))
        let violation = #expect(throws: RuleViolation.self) {
            try admission.admit(checked, receivedAt: testsReceivedAt)
        }
        #expect(violation?.rule.name == line.rule, "\(violation.map(String.init(describing:)) ?? "admitted")")
        #expect(violation?.pointer == line.pointer, "\(violation.map(String.init(describing:)) ?? "admitted")")
        // The same event decided by no command is refused the same way when a command appends it.
        #expect(violation?.message.isEmpty == false)
    }

    @Test("lines of one batch are checked against the lines before them, without reading the log again")
    func withinABatch() async throws {
        let h = try await Self.seeded()
        let admission = Admission(store: h.store)
        let recovery = ReportRecovery(
            caseId: caseB, youthRef: youthRefB, agency: .lasd, station: "SCV", area: .spa2, contactAt: at(10),
            context: .street, envelope: by(at(12))
        ).recoveryEvent
        let referral = HotlineReferralCreated(
            caseId: caseB, referralNumber: ReferralNumber(rawValue: "1903202600017402915")!, responseCategory: .fiveDay)
        try admission.admit(try EventCatalog.checkLine(importLine(recovery, at: at(12))), receivedAt: testsReceivedAt)
        try admission.admit(try EventCatalog.checkLine(importLine(referral, at: at(13))), receivedAt: testsReceivedAt)
        let again = #expect(throws: RuleViolation.self) {
            try admission.admit(
                try EventCatalog.checkLine(importLine(recovery, at: at(14))), receivedAt: testsReceivedAt)
        }
        #expect(again?.rule.name == "case already reported")
        #expect(admission.expectations["case-C-2026A00018"] == .exactly(0))
    }
}

extension ReportRecovery {
    /// The `RecoveryReported` this command appends.
    var recoveryEvent: RecoveryReported {
        RecoveryReported(
            caseId: caseId, youthRef: youthRef, agency: agency, agencyName: agencyName, station: station, area: area,
            contactAt: contactAt, context: context, operationId: operationId, ageAtContact: ageAtContact,
            language: language, onSupervision: onSupervision, awol: awol)
    }
}
