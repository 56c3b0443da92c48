import EventStore
import Foundation
import Testing
import VigilEngine

@testable import Reports

@Suite("Rendering")
struct RenderingTests {
    static func report() async throws -> (Report, Scratch, Engine) {
        let scratch = Scratch()
        let engine = try await HandDataset.writer().write(to: scratch.file("data"))
        let service = ReportService(store: engine.store, vigilVersion: "test", dataDirectory: "data")
        let report = try service.report(
            ReportRequest(period: ReportPeriod(range: HandDataset.period)!, comparison: .previous))
        return (report, scratch, engine)
    }

    @Test func htmlIsSelfContainedAccessibleAndScriptFree() async throws {
        let (report, _, engine) = try await Self.report()
        defer { engine.close() }
        let html = String(decoding: ReportHTML.render(report), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(!html.contains("<link") && !html.contains("<img") && !html.contains("url(http"))
        #expect(html.contains("@page") && html.contains("@media print"))
        // Every chart: an SVG labelled by its own title and text alternative, with a table.
        let charts = report.sections.flatMap(\.blocks).compactMap { b -> Chart? in
            if case .chart(let c) = b { return c } else { return nil }
        }
        #expect(charts.count >= 7)
        for chart in charts {
            #expect(html.contains("aria-labelledby=\"\(chart.id)-title \(chart.id)-desc\""))
            #expect(html.contains("<title id=\"\(chart.id)-title\">"))
            #expect(html.contains("<desc id=\"\(chart.id)-desc\">"))
            #expect(html.contains("<table id=\"\(chart.tableId)\">"))
        }
        #expect(html.contains("stroke-dasharray=\"6 3\""), "the histogram's 90-minute line")
        #expect(html.contains(report.stamp.chainHash) && html.contains(report.stamp.command))
    }

    @Test func noFormatCarriesAnIdentifyingDetail() async throws {
        let (report, _, engine) = try await Self.report()
        defer { engine.close() }
        for format in ReportFormat.allCases {
            let text = String(decoding: format.render(report), as: UTF8.self)
            #expect(!text.contains("Y-HAND"), "\(format): a youth reference")
            #expect(!text.contains("C-2025") && !text.contains("C-2024"), "\(format): a case number")
            #expect(!text.contains("A-00"), "\(format): an arrest id")
            #expect(text.contains(report.stamp.chainHash), "\(format): the stamp")
        }
    }

    @Test func csvAndJSONCarryTheSameFigures() async throws {
        let (report, _, engine) = try await Self.report()
        defer { engine.close() }
        let csv = String(decoding: ReportCSV.render(report), as: UTF8.self)
        let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows[0].joined(separator: ",") == ReportCSV.header.joined(separator: ","))
        let json = try JSONSerialization.jsonObject(with: Data(ReportJSON.render(report))) as! [String: Any]
        let figures = json["figures"] as! [String: [String: Any]]
        var fromCSV: [String: String] = [:]
        for row in rows.dropFirst()
        where !row[0].hasPrefix("stamp.") && !row[0].hasPrefix("request.")
            && !row[0].hasPrefix("report.")
        {
            fromCSV[String(row[0])] = String(row.last!)
        }
        #expect(fromCSV.count == figures.count)
        for (key, figure) in figures { #expect(fromCSV[key] == figure["shown"] as? String, "\(key)") }
        // Suppressed figures carry null, never their value.
        for (_, figure) in figures where figure["suppressed"] as? Bool == true { #expect(figure["value"] is NSNull) }
    }
}
