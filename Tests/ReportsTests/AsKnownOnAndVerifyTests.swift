import EventStore
import Foundation
import Testing
import VigilEngine

@testable import Reports

@Suite("As known on, and verify")
struct AsKnownOnAndVerifyTests {
    static let request = ReportRequest(period: ReportPeriod(range: HandDataset.period)!, comparison: .previous)

    /// The report given "in October" (here: before the late entries of March arrived) is
    /// reproduced exactly later, from the grown log, with --as-known-on.
    @Test func aReportIsReproducedExactlyAfterLateEntriesAndCorrections() async throws {
        let scratch = Scratch()
        // What was recorded by 20 March 2025: the case of 21 March and the correction and void of
        // 25–26 March are not there yet; case 31 (contact 3 March) was entered late, on 6 March.
        let given = Timestamp.utc(2025, 3, 20)
        let then = try await HandDataset.writer().write(to: scratch.file("then"), until: given)
        let original = try ReportService(store: then.store, vigilVersion: "test", dataDirectory: "then").report(
            Self.request, format: .json)
        then.close()
        let now = try await HandDataset.writer().write(to: scratch.file("now"))
        defer { now.close() }
        let service = ReportService(store: now.store, vigilVersion: "test", dataDirectory: "now")
        var asKnown = Self.request
        asKnown.knowledge = .knownOn(given)
        let reproduced = try service.report(asKnown, format: .json)
        #expect(reproduced.stamp.position == original.stamp.position)
        #expect(reproduced.stamp.chainHash == original.stamp.chainHash)
        #expect(reproduced.figures == original.figures)
        #expect(reproduced.sections == original.sections)
        // And today's figures did move: a voided arrest, a correction, a later case.
        let today = try service.report(Self.request)
        #expect(today.figures != original.figures)
        #expect(today.table("arrests.by-role")?.cell("total", "arrests")?.count == 30)
        let lateNote = try #require(original.notes.first { $0.topic == "Late entries" })
        #expect(lateNote.text.contains("<11 recovery reports"))
    }

    @Test func verifyConfirmsEveryFigureAndNamesEachDifference() async throws {
        let scratch = Scratch()
        let engine = try await HandDataset.writer().write(to: scratch.file("data"))
        defer { engine.close() }
        let service = ReportService(store: engine.store, vigilVersion: "test", dataDirectory: "data")
        var json = try service.render(Self.request, format: .json)
        let verifier = ReportVerifier(service: service)
        let ok = try verifier.verify(json)
        #expect(ok.isConfirmed && ok.figures > 300)
        // Change one figure in the file: verify names it.
        let text = String(decoding: json, as: UTF8.self)
        let changed = text.replacingOccurrences(
            of: #""recoveries.total.recoveries":{"value":40,"shown":"40"}"#,
            with: #""recoveries.total.recoveries":{"value":41,"shown":"41"}"#)
        #expect(changed != text)
        json = Array(changed.utf8)
        let outcome = try verifier.verify(json)
        #expect(outcome.differences.map(\.key) == ["recoveries.total.recoveries"])
        #expect(outcome.differences.first?.description.contains("\"41\"") == true)
        // A file whose chain hash is not this log's is refused.
        let forged = text.replacingOccurrences(of: ok.chainHash, with: String(repeating: "0", count: 64))
        #expect(throws: ReportError.self) { try verifier.verify(Array(forged.utf8)) }
    }
}
