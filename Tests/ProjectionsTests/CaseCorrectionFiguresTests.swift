import EventStore
import FirstResponder
import Projections
import Testing
import VigilTestSupport

@Suite("Corrections and voids of recoveries and placements in the views")
struct CaseCorrectionFiguresTests {
    @Test("a corrected recovery counts at its corrected station and age; a voided one leaves every view")
    func recoveries() async throws {
        let h = try Harness()
        try await h.report(caseA)
        try await h.report(caseB, youth: "Y-3F8H6J2L5N")
        try await h.run(
            CorrectRecovery(
                caseId: caseA, corrections: .init(station: "LANCASTER", area: .spa1, ageAtContact: 17),
                reason: "Lancaster station made the contact.", envelope: by(at(30))))
        try await h.run(CloseCase(caseId: caseB, outcome: .duplicate, envelope: by(at(31))))
        try await h.run(
            VoidRecovery(
                caseId: caseB, reasonCode: .duplicateEntry, reason: "The same contact as C-2026A00017.",
                envelope: by(at(32))))
        let figures = try h.read { try RecoveriesQuery().run($0) }
        #expect(figures.recoveries == 1 && figures.uniqueYouth == 1)
        #expect(figures.byStation.map(\.key) == ["LANCASTER"] && figures.byArea.map(\.key) == ["SPA1"])
        let record = try #require(try h.record(caseA))
        #expect(record.station == "LANCASTER" && record.ageAtContact == 17 && record.corrections == 1)
        #expect(try h.record(caseB) == nil, "a voided recovery leaves the cases view")
        let board = try h.read { try CaseBoardQuery(now: at(40)).run($0) }
        #expect(board.cases.map(\.caseId) == [caseA.rawValue])
    }

    @Test("the placement milestone is the first decision standing, as corrected")
    func placements() async throws {
        let h = try Harness()
        try await h.report(caseA)
        try await h.run(DecidePlacement(caseId: caseA, kind: .shelter, envelope: by(at(100))))
        try await h.run(DecidePlacement(caseId: caseA, kind: .home, envelope: by(at(150))))
        try await h.run(
            VoidPlacement(
                caseId: caseA, reasonCode: .enteredInError, reason: "Entered in the wrong case.",
                envelope: by(at(160))))
        try await h.run(
            CorrectPlacement(
                caseId: caseA, corrections: .init(kind: .relative), reason: "An aunt, not a shelter.",
                envelope: by(at(170))))
        var record = try #require(try h.record(caseA))
        #expect(record.placements.map(\.kind) == ["relative"])
        #expect(record.milestones.placementAt == at(100).microseconds && record.milestones.placementKind == "relative")
        try await h.run(
            VoidPlacement(
                caseId: caseA, reasonCode: .duplicateEntry, reason: "Recorded twice.", envelope: by(at(180))))
        record = try #require(try h.record(caseA))
        #expect(record.placements.isEmpty && record.milestones.placementAt == nil)
        #expect(record.phase == .inProtocol)
    }
}
