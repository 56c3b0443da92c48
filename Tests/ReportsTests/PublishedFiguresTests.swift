import EventStore
import Foundation
import Testing
import VigilEngine

@testable import Reports

/// The county's published figures, reproduced exactly by a log written through the command path.
@Suite("Published figures")
struct PublishedFiguresTests {
    @Test func theReportShowsThePublishedFigures() async throws {
        #expect(PublishedDataset.attendees.count == 183 && PublishedDataset.attendees.reduce(0, +) == 19_492)
        let scratch = Scratch()
        let engine = try await PublishedDataset.writer().write(to: scratch.file("data"))
        defer { engine.close() }
        let service = ReportService(store: engine.store, vigilVersion: Engine.version, dataDirectory: "data")
        let request = ReportRequest(period: ReportPeriod(range: PublishedDataset.period)!, comparison: .previous)
        let report = try service.report(request, format: .html, output: "board.html")
        func shown(_ table: String, _ row: String, _ column: String) -> String? {
            report.table(table)?.cell(row, column)?.display
        }
        #expect(shown("summary", "arrests", "value") == "441")
        #expect(shown("arrests.by-role", "total", "arrests") == "441")
        #expect(shown("summary", "classes", "value") == "183")
        #expect(shown("summary", "people", "value") == "19,492")
        #expect(shown("trend", "recoveries", "current") == "270")
        #expect(shown("trend", "recoveries", "previous") == "200")
        #expect(shown("trend", "recoveries", "change") == "+35.0%")
        // Three or more operations, each with its arrests; the rest outside any operation.
        let byOperation = try #require(report.table("arrests.by-operation"))
        for op in PublishedDataset.operations {
            #expect(byOperation.rows.first { $0.label == op.name }?.cells.last??.count == op.arrests, "\(op.name)")
        }
        #expect(shown("arrests.by-operation", "none", "arrests") == "74")
        // The correction moved one arrest from buyer to exploiter without changing the count.
        let notes = report.notes.first { $0.topic == "Corrections and voids applied" }?.text ?? ""
        #expect(notes.hasPrefix("1 arrest of the period counted as corrected; 1 voided arrest not counted"))
        // Year to date through 31 August: the same 441 (nothing before January).
        #expect(report.table("arrests.by-role")?.cell("total", "ytd")?.count == 441)
        if let directory = ProcessInfo.processInfo.environment["VIGIL_REPORT_ARTIFACTS"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for format in ReportFormat.allCases {
                try Data(format.render(report)).write(
                    to: URL(fileURLWithPath: "\(directory)/board-report.\(format.rawValue)"))
            }
        }
    }
}
