import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilEngine

@Suite("GET /v1/reports")
struct ReportRoutesTests {
    static let envelope = #""occurredAt":"2025-03-14T02:05:00Z","actor":"user:deputy-scv-114""#
    static let commands = [
        #"{"command":"register-course",\#(envelope),"courseCode":"COURSE-01","title":"CSEC 101"}"#,
        #"{"command":"report-recovery",\#(envelope),"caseId":"C-2025A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2025-03-14T01:58:00Z","context":"street","ageAtContact":15}"#,
        #"{"command":"hold-training-session",\#(envelope),"sessionId":"TS-0001","courseCode":"COURSE-01","courseTitle":"CSEC 101","audienceSector":"education","attendees":42}"#,
    ]

    @Test("analysts and auditors get the report in every format; other roles are refused; bad parameters are named")
    func report() async throws {
        let scratch = Scratch()
        let analyst = try bearer(scratch, .analyst)
        let auditor = try bearer(scratch, .auditor)
        let dispatcher = try bearer(scratch, .dispatcher)
        let prepare: (Engine) async throws -> Void = { engine in
            for line in Self.commands { _ = try await engine.commands.handle(json: Array(line.utf8)) }
        }
        try await withServer(scratch, prepare: prepare) { client, engine in
            let period = "/v1/reports?from=2025-01-01&to=2025-03-31&compare-to=previous"
            let json = try await client.send(.get, period + "&format=json", analyst)
            #expect(json.status == .ok)
            #expect(json.headers[.contentType] == "application/json")
            let figures = try #require(json.object["figures"] as? [String: Any])
            let people = try #require(figures["training.total.people"] as? [String: Any])
            #expect(people["value"] as? Int == 42)
            let stamp = try #require(json.object["stamp"] as? [String: Any])
            // Pinned to the log position read (the timer loop may have fired the 2025 cases' timers since).
            let position = try #require(stamp["position"] as? Int)
            let head = Int(try engine.store.head().position)
            #expect(position >= Self.commands.count && position <= head)
            #expect(!json.text.contains("Y-7K2M9Q4D1X") && !json.text.contains("C-2025A00017"))

            let html = try await client.send(.get, period, auditor)
            #expect(html.status == .ok)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.text.contains("<svg") && !html.text.contains("<script"))
            for format in ["md", "csv"] {
                let other = try await client.send(.get, period + "&format=\(format)", analyst)
                #expect(other.status == .ok && other.text.contains("Training"), "\(format)")
            }

            let refused = try await client.send(.get, period, dispatcher)
            #expect(refused.status == .forbidden)
            for (query, field) in [
                ("?from=2025-13-01&to=2025-03-31", "from"), ("?to=2025-03-31", "from"),
                ("?from=2025-01-01&to=2025-03-31&format=pdf", "format"),
                ("?from=2025-01-01&to=2025-03-31&at-position=99", "at-position"),
            ] {
                let bad = try await client.send(.get, "/v1/reports" + query, analyst)
                #expect(bad.status == .badRequest, "\(query)")
                #expect((bad.object["detail"] as? String)?.hasPrefix(field + ":") == true, "\(query): \(bad.text)")
            }
        }
    }
}
