import EventStore
import FirstResponder
import Testing

@Suite("Commands: legal holds")
struct LegalHoldTests {
    @Test(
        "a legal hold on one case of a youth keeps every case of the youth from being sealed, naming the hold, until it is released"
    )
    func holdThenRelease() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(County.recovery())
        try await h.run(
            LinkYouthIdentity(caseId: caseA, sameAsYouthRef: youthRefB, basis: .dcfsRecordMatch, envelope: by(at(1))))
        var rng = SystemRandomNumberGenerator()
        let details = YouthDetails(givenName: "Test", familyName: "Youth", dateOfBirth: "2010-04-17")
        try h.vault.store(details, for: youthRefA.rawValue, using: &rng)
        try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(100))))
        try await h.run(CloseCase(caseId: caseB, outcome: .servicesEngaged, envelope: by(at(101))))

        // A hold on case B (linked with A's youth).
        let hold = HoldID(rawValue: "LH-2026CC0007")!
        let placed = try await h.run(
            PlaceLegalHold(
                holdId: hold, caseId: caseB, authority: .litigation, reason: "Claim against the county.",
                authorisedBy: "user:county-counsel-2", courtOrderRef: "BC-2026-7781",
                envelope: by(at(110), "user:supervisor-3")))
        expectEvents(placed, [("LegalHoldPlaced", "legal-holds")])

        // Sealing case A is refused: it would seal B too. Nothing destroyed, nothing written.
        let head = try h.head()
        let refused = try await h.expectRejection(
            .lifecycle(.underLegalHold),
            SealRecord(caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2", envelope: by(at(120))))
        #expect(
            refused?.message.contains("legal hold LH-2026CC0007 on case C-2026A00018") == true,
            "\(String(describing: refused))")
        #expect(refused?.message.contains("litigation, court order BC-2026-7781") == true)
        #expect(refused?.message.contains("release-legal-hold") == true)
        #expect(refused?.message.contains("Claim against") == false, "the free-text reason is never repeated")
        #expect(try h.vault.read(youthRefA.rawValue) == .details(details))
        #expect(try h.head() == head)
        // The same rule for an imported RecordSealed of the held case.
        let imported = RecordSealed(
            caseId: caseB, youthRef: youthRefB, scope: .youth, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2")
        let violation = #expect(throws: RuleViolation.self) {
            try Admission(store: h.store).admit(
                try EventCatalog.checkLine(importLine(imported, at: at(120))), receivedAt: testsReceivedAt)
        }
        #expect(violation?.rule.name == "record under legal hold" && violation?.pointer == "/data/caseId")
        #expect(violation?.message.contains("LH-2026CC0007") == true, "\(String(describing: violation))")

        // A second hold with the same id, a hold on an unknown case, a release of an unknown hold.
        try await h.expectRejection(
            .alreadyExists,
            PlaceLegalHold(
                holdId: hold, caseId: caseA, authority: .audit, reason: "Audit.", authorisedBy: "user:auditor-1",
                envelope: by(at(121))))
        try await h.expectRejection(
            .unknownCase,
            PlaceLegalHold(
                holdId: HoldID(rawValue: "LH-2026CC0099")!, caseId: CaseID(rawValue: "C-2026Z99999")!,
                authority: .audit, reason: "Audit.", authorisedBy: "user:auditor-1", envelope: by(at(122))))
        try await h.expectRejection(
            .unknownRecord,
            ReleaseLegalHold(
                holdId: HoldID(rawValue: "LH-2026CC0099")!, reason: "Done.", authorisedBy: "user:county-counsel-2",
                envelope: by(at(123))))

        // Released, the record can be sealed; a release cannot be repeated.
        let released = try await h.run(
            ReleaseLegalHold(
                holdId: hold, reason: "The claim was dismissed.", authorisedBy: "user:county-counsel-2",
                envelope: by(at(130), "user:supervisor-3")))
        expectEvents(released, [("LegalHoldReleased", "legal-holds")])
        try await h.expectRejection(
            .recordClosed,
            ReleaseLegalHold(
                holdId: hold, reason: "Again.", authorisedBy: "user:county-counsel-2", envelope: by(at(131))))
        let sealed = try await h.run(
            SealRecord(caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2", envelope: by(at(140))))
        expectEvents(sealed, [("RecordSealed", "case-C-2026A00017"), ("RecordSealed", "case-C-2026A00018")])

        // A sealed record cannot be held: its data is gone.
        try await h.expectRejection(
            .recordSealed,
            PlaceLegalHold(
                holdId: HoldID(rawValue: "LH-2026CC0008")!, caseId: caseA, authority: .investigation,
                reason: "Investigation.", authorisedBy: "user:county-counsel-2", envelope: by(at(150))))
        #expect(try h.store.verify().isValid)
    }
}
