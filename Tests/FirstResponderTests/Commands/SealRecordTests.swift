import EventStore
import FirstResponder
import Testing

@Suite("Commands: sealing")
struct SealRecordTests {
    @Test(
        "sealing destroys the youth's vault entries, appends RecordSealed to every case of the youth, and the log still verifies and counts"
    )
    func seal() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(County.recovery())
        try await h.run(
            LinkYouthIdentity(caseId: caseA, sameAsYouthRef: youthRefB, basis: .dcfsRecordMatch, envelope: by(at(1))))
        var rng = SystemRandomNumberGenerator()
        let details = YouthDetails(givenName: "Test", familyName: "Youth", dateOfBirth: "2010-04-17")
        try h.vault.store(details, for: youthRefA.rawValue, using: &rng)
        try h.vault.store(details, for: youthRefB.rawValue, using: &rng)

        // Every case of the youth must be closed first.
        try await h.run(CloseCase(caseId: caseA, outcome: .servicesEngaged, envelope: by(at(100))))
        let refused = try await h.expectRejection(
            .lifecycle(.caseStillOpen),
            SealRecord(caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2", envelope: by(at(101))))
        #expect(refused?.message.contains("C-2026A00018") == true)
        #expect(try h.vault.read(youthRefA.rawValue) == .details(details))
        try await h.run(CloseCase(caseId: caseB, outcome: .servicesEngaged, envelope: by(at(102))))

        let sealed = try await h.run(
            SealRecord(
                caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2",
                courtOrderRef: "JV-2026-0042", envelope: by(at(200), "user:supervisor-3")))
        expectEvents(
            sealed, [("RecordSealed", "case-C-2026A00017"), ("RecordSealed", "case-C-2026A00018")])
        #expect(sealed.events(RecordSealed.self).map(\.youthRef) == [youthRefA, youthRefB])
        guard case .sealed(let info) = try h.vault.read(youthRefA.rawValue) else {
            Issue.record("youth A's record is not sealed")
            return
        }
        #expect(info.authorisedBy == "user:judge-clerk-2" && info.legalBasis == .wic781)
        if case .details = try h.vault.read(youthRefB.rawValue) { Issue.record("youth B's details survived") }

        // The chain verifies; the cases still count.
        let report = try h.store.verify()
        #expect(report.isValid, "\(report.problems)")
        var recoveries = 0
        try h.store.scan(from: 1) { if $0.type == "RecoveryReported" { recoveries += 1 } }
        #expect(recoveries == 2)
        #expect(try h.roster().cases(ofYouth: youthRefA) == [caseA, caseB])
        #expect(try h.caseFile(caseA).state.phase == .sealed)
        #expect(try h.caseFile(caseA).recovery?.area == .spa2)

        // A sealed case takes nothing but another sealing.
        try await h.expectRejection(
            .recordSealed,
            ReopenCase(caseId: caseA, reasonCode: .closedInError, reason: "Wrong case.", envelope: by(at(300))))
        // A second sealing appends no second RecordSealed: it is refused, naming the first.
        let second = try await h.expectRejection(
            .recordSealed,
            SealRecord(caseId: caseB, legalBasis: .vacatur, authorisedBy: "user:judge-clerk-2", envelope: by(at(301))))
        let positions = sealed.events.map { String($0.position) }.joined(separator: ", ")
        #expect(second?.message.contains("is sealed already") == true, "\(String(describing: second))")
        #expect(
            second?.message.contains("RecordSealed at positions \(positions)") == true, "\(String(describing: second))")
        // The very same command again is a retry: its events, nothing written.
        let head = try h.head()
        let retry = try await h.run(
            SealRecord(
                caseId: caseA, legalBasis: .wic781, authorisedBy: "user:judge-clerk-2",
                courtOrderRef: "JV-2026-0042", envelope: by(at(200), "user:supervisor-3")))
        #expect(retry.alreadyStored && retry.events.map(\.position) == sealed.events.map(\.position))
        #expect(try h.head() == head)
    }
}
