import EventStore
import FirstResponder
import Testing

/// Recoveries and placement decisions are corrected and voided like arrests: by one event each, with
/// a reason and an actor, checked by the same rules whichever door the event comes in by.
@Suite("Rules: corrections and voids of recoveries and placements")
struct CaseCorrectionRuleTests {
    /// The county and case A reported (contact at at(-10), LASD SCV in SPA2, age 15).
    static func reported() async throws -> CommandHarness {
        let h = try await CommandHarness.make()
        try await h.run(County.recovery())
        return h
    }

    @Test(
        "a corrected recovery counts at its corrected place; a place the county does not have is refused at its field")
    func correctRecovery() async throws {
        let h = try await Self.reported()
        try await h.run(
            CorrectRecovery(
                caseId: caseA, corrections: .init(station: "LANCASTER", area: .spa1, ageAtContact: 16),
                reason: "The deputy's report names Lancaster station.", envelope: by(at(30))))
        let recovery = try #require(try h.caseFile(caseA).recovery)
        #expect(recovery.station == "LANCASTER" && recovery.area == .spa1 && recovery.ageAtContact == 16)
        #expect(recovery.agency == .lasd && recovery.contactAt == at(-10), "fields not named keep their value")

        let elsewhere = try await h.expectRejection(
            .rule(.stationElsewhere),
            CorrectRecovery(
                caseId: caseA, corrections: .init(station: "SCV"), reason: "SCV after all.", envelope: by(at(31))))
        #expect(elsewhere?.field == "/corrections/station", "\(elsewhere.map(String.init(describing:)) ?? "")")
        try await h.expectRejection(
            .unknownRecord,
            CorrectRecovery(
                caseId: caseA, corrections: .init(operationId: .value(OperationID(rawValue: "OP-NOWHERE")!)),
                reason: "In the operation.", envelope: by(at(31))))
        try await h.expectRejection(
            .unknownCase,
            CorrectRecovery(
                caseId: caseB, corrections: .init(ageAtContact: 14), reason: "Age.", envelope: by(at(31))))
    }

    @Test("a recovery is voided only once its case is closed; then nothing but a sealing follows")
    func voidRecovery() async throws {
        let h = try await Self.reported()
        let void = VoidRecovery(
            caseId: caseA, reasonCode: .duplicateEntry, reason: "Reported twice; see C-2026A00016.",
            envelope: by(at(40)))
        try await h.expectRejection(.lifecycle(.caseNotClosedForVoid), void)
        try await h.run(CloseCase(caseId: caseA, outcome: .duplicate, envelope: by(at(30))))
        try await h.run(void)
        #expect(try h.caseFile(caseA).state.recoveryVoided)
        try await h.expectRejection(.lifecycle(.recoveryVoided), void)
        try await h.expectRejection(
            .lifecycle(.recoveryVoided),
            ReopenCase(caseId: caseA, reasonCode: .newInformation, reason: "New facts.", envelope: by(at(50))))
        try await h.expectRejection(
            .lifecycle(.recoveryVoided),
            CorrectRecovery(caseId: caseA, corrections: .init(ageAtContact: 14), reason: "Age.", envelope: by(at(50))))
        // Nothing new may name the voided case.
        try await h.expectRejection(
            .lifecycle(.recoveryVoided),
            RecordArrest(
                arrest: ArrestRecorded(
                    arrestId: ArrestID(rawValue: "A-2026A0500")!, role: .buyer, agency: .lasd, station: "SCV",
                    area: .spa2, arrestedAt: at(20), linkedCaseIds: [caseA]),
                envelope: by(at(50))))
    }

    @Test("a voided placement gives the case back its decision before; with none left the case is not placed")
    func placements() async throws {
        let h = try await Self.reported()
        let voidLatest = VoidPlacement(
            caseId: caseA, reasonCode: .enteredInError, reason: "Entered in the wrong case.", envelope: by(at(200)))
        try await h.expectRejection(.lifecycle(.noPlacement), voidLatest)
        try await h.expectRejection(
            .lifecycle(.noPlacement),
            CorrectPlacement(
                caseId: caseA, corrections: .init(kind: .relative), reason: "An aunt.", envelope: by(at(200))))
        try await h.run(DecidePlacement(caseId: caseA, kind: .shelter, envelope: by(at(100))))
        try await h.run(DecidePlacement(caseId: caseA, kind: .home, envelope: by(at(150))))
        try await h.run(
            CorrectPlacement(
                caseId: caseA, corrections: .init(kind: .relative), reason: "An aunt, not home.",
                envelope: by(at(160))))
        #expect(try h.caseFile(caseA).placements.map(\.decision.kind) == [.shelter, .relative])
        try await h.run(voidLatest)
        var file = try h.caseFile(caseA)
        #expect(file.placements.map(\.decision.kind) == [.shelter] && file.state.phase == .placed)
        #expect(file.milestones.placementDecided == at(100))
        try await h.run(voidLatest)
        file = try h.caseFile(caseA)
        #expect(file.placements.isEmpty && file.milestones.placementDecided == nil)
        #expect(file.state.phase == .inProtocol, "the protocol had started; the case is no longer placed")
        try await h.expectRejection(.lifecycle(.noPlacement), voidLatest)
    }

    @Test("a placement correction dated before the decision is refused with both times")
    func placementTimes() async throws {
        let h = try await Self.reported()
        try await h.run(DecidePlacement(caseId: caseA, kind: .shelter, envelope: by(at(100))))
        let early = try await h.expectRejection(
            .rule(.beforeItsFact),
            CorrectPlacement(
                caseId: caseA, corrections: .init(kind: .other, reason: "A friend's family."),
                reason: "Not a shelter.", envelope: by(at(90))))
        #expect(early?.message.contains(at(100).rfc3339) == true, "\(early.map(String.init(describing:)) ?? "")")
    }

    @Test("an import meets the same rules: a void of an open case's recovery, a placement void with none standing")
    func imports() async throws {
        let h = try await Self.reported()
        let admission = Admission(store: h.store)
        for (event, rule) in [
            (
                RecoveryVoided(caseId: caseA, reasonCode: .notARecovery, reason: "Not a recovery.") as any DomainEvent,
                "void needs a closed case"
            ),
            (PlacementVoided(caseId: caseA, reasonCode: .duplicateEntry, reason: "Twice."), "no placement"),
            (
                RecoveryCorrected(
                    caseId: caseA, corrections: .init(agency: .lapd, station: "HOLLYWOOD"), reason: "LAPD."),
                "station under another agency or area"
            ),
        ] {
            let line = try EventCatalog.checkLine(CaseCorrectionRuleTests.line(event, at: at(60)))
            let violation = #expect(throws: RuleViolation.self) {
                try admission.admit(line, receivedAt: testsReceivedAt)
            }
            #expect(violation?.rule.name == rule, "\(violation.map(String.init(describing:)) ?? "admitted")")
        }
    }

    /// An import line for `event` at `t`.
    static func line(_ event: any DomainEvent, at t: Timestamp) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("stream", event.streamName)
        w.field("type", event.eventType)
        w.field("occurredAt", t.rfc3339)
        w.field("actor", "user:importer")
        w.key("data")
        w.raw(event.jsonBytes())
        w.endObject()
        return w.bytes
    }
}
