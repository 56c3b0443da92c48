import Foundation
import Testing

@Suite("vigil report")
struct ReportCommandTests {
    static let envelope = #""occurredAt":"2025-03-14T02:05:00Z","actor":"user:deputy-scv-114""#
    static let commands = [
        #"{"command":"register-course",\#(envelope),"courseCode":"COURSE-01","title":"CSEC 101"}"#,
        #"{"command":"report-recovery",\#(envelope),"caseId":"C-2025A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2025-03-14T01:58:00Z","context":"street","ageAtContact":15}"#,
        #"{"command":"start-operation",\#(envelope),"operationId":"OP-SCV001","name":"Operation Valley","agency":"LASD","area":"SPA2"}"#,
        #"{"command":"record-arrest","occurredAt":"2025-03-14T02:20:00Z","actor":"user:booking-1","arrestId":"A-0001","role":"buyer","agency":"LASD","station":"SCV","area":"SPA2","arrestedAt":"2025-03-14T02:15:00Z","linkedCaseIds":[],"operationId":"OP-SCV001"}"#,
        #"{"command":"hold-training-session",\#(envelope),"sessionId":"TS-0001","courseCode":"COURSE-01","courseTitle":"CSEC 101","audienceSector":"education","attendees":42}"#,
    ]

    @Test("vigil report writes every format with its stamp, and verify confirms it")
    func reportAndVerify() async throws {
        let scratch = try Scratch("report")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let command = try await scratch.vigil(["command", try scratch.write("c.ndjson", lines: Self.commands)])
        #expect(command.succeeded, "\(command)")
        let events = try await scratch.eventCount()
        let period = ["--from", "2025-01-01", "--to", "2025-03-31", "--compare-to", "previous"]
        for format in ["html", "md", "csv", "json"] {
            let out = scratch.path("board.\(format)")
            let result = try await scratch.vigil(["report"] + period + ["--format", format, "--out", out])
            #expect(result.succeeded, "\(result)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            let pinned = text.contains("--at-position \(events) ")
            #expect(pinned, "\(format): the recompute command pins the position")
            let identifying = text.contains("Y-7K2M9Q4D1X") || text.contains("C-2025A00017")
            #expect(!identifying, "\(format): no youth reference or case number")
        }
        // --no-update reads the views read-only: the same report while they are current, and the same
        // figures folded in memory once the log has moved past them.
        let asJSON = ["--format", "json", "--out"]
        let readOnly = try await scratch.vigil(["report", "--no-update"] + period + asJSON + [scratch.path("ro.json")])
        #expect(readOnly.succeeded, "\(readOnly)")
        #expect(try figures(scratch.path("ro.json")) == figures(scratch.path("board.json")))
        let more =
            #"{"command":"hold-training-session",\#(Self.envelope),"sessionId":"TS-0002","courseCode":"COURSE-01","courseTitle":"CSEC 101","audienceSector":"education","attendees":8}"#
        _ = try await scratch.vigil(["command", try scratch.write("more.ndjson", lines: [more])])
        let lagging = try await scratch.vigil(["report", "--no-update"] + period + asJSON + [scratch.path("lag.json")])
        let current = try await scratch.vigil(["report"] + period + asJSON + [scratch.path("now.json")])
        #expect(lagging.succeeded && current.succeeded, "\(lagging) \(current)")
        let lagText = try String(contentsOfFile: scratch.path("lag.json"), encoding: .utf8)
        #expect(lagText.contains(#""training.total.people":{"value":50,"shown":"50"}"#))
        #expect(try figures(scratch.path("lag.json")) == figures(scratch.path("now.json")))
        let html = try String(contentsOfFile: scratch.path("board.html"), encoding: .utf8)
        let selfContained = html.contains("<svg") && !html.contains("<script")
        #expect(selfContained)
        let verify = try await scratch.vigil(["report", "verify", scratch.path("board.json")])
        #expect(verify.succeeded && verify.stdoutText.hasPrefix("ok: "), "\(verify)")
        // A changed figure is named, exit status 2.
        let json = try String(contentsOfFile: scratch.path("board.json"), encoding: .utf8)
        let changed = json.replacingOccurrences(
            of: #""arrests.total.arrests":{"value":1,"shown":"1"}"#,
            with: #""arrests.total.arrests":{"value":2,"shown":"2"}"#)
        #expect(changed != json)
        try Data(changed.utf8).write(to: URL(fileURLWithPath: scratch.path("changed.json")))
        let differs = try await scratch.vigil(["report", "verify", scratch.path("changed.json")])
        #expect(differs.status == 2 && differs.stdoutText.contains("arrests.total.arrests"), "\(differs)")
    }

    @Test("vigil report: bad options name the option and write nothing")
    func badOptions() async throws {
        let scratch = try Scratch("report-bad")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        _ = try await scratch.vigil(["command", try scratch.write("c.ndjson", lines: Self.commands)])
        let out = scratch.path("r.html")
        let cases: [([String], String)] = [
            (["--from", "2025-13-01", "--to", "2025-03-31"], "--from"),
            (["--from", "2025-03-01", "--to", "2025-02-01"], "--to"),
            (["--from", "2025-01-01", "--to", "2025-03-31", "--format", "pdf"], "--format"),
            (["--from", "2025-01-01", "--to", "2025-03-31", "--compare-to", "last-year"], "--compare-to"),
            (["--from", "2025-01-01", "--to", "2025-03-31", "--as-known-on", "yesterday"], "--as-known-on"),
            (["--from", "2025-01-01", "--to", "2025-03-31", "--at-position", "9999"], "--at-position"),
        ]
        // A mistyped --data is an error, and no store is made there.
        let missing = try await scratch.vigil(
            ["report", "--from", "2025-01-01", "--to", "2025-03-31", "--out", out, "--data", scratch.path("nowhere")])
        #expect(!missing.succeeded && missing.stderrText.contains("no Vigil store"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("nowhere")))
        for (args, option) in cases {
            let result = try await scratch.vigil(["report"] + args + ["--out", out])
            #expect(!result.succeeded && result.stderrText.contains(option), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// A JSON report's figures and stamp, without the recompute command (it names the output file).
    func figures(_ path: String) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let report = try #require(object as? [String: Any])
        var stamp = try #require(report["stamp"] as? [String: Any])
        stamp["command"] = nil
        return ["figures": report["figures"] ?? NSNull(), "stamp": stamp] as NSDictionary
    }
}
