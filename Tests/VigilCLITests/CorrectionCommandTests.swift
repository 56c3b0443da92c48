import Foundation
import Testing

@Suite("vigil command: corrections and voids")
struct CorrectionCommandTests {
    static let envelope = #""occurredAt":"2026-02-10T17:00:00Z","actor":"user:training-coordinator-1""#
    static let later = #""occurredAt":"2026-02-12T09:00:00Z","actor":"user:training-coordinator-1""#

    @Test("a mistyped attendee count is corrected and a duplicate class voided: the training view counts them so")
    func trainingSessions() async throws {
        let scratch = try Scratch("corrections")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let lines = [
            #"{"command":"register-course",\#(Self.envelope),"courseCode":"COURSE-03","title":"CSEC 101"}"#,
            #"{"command":"hold-training-session",\#(Self.envelope),"sessionId":"TS-2026Q1007","courseCode":"COURSE-03","courseTitle":"CSEC 101","audienceSector":"law-enforcement","attendees":140}"#,
            #"{"command":"hold-training-session",\#(Self.envelope),"sessionId":"TS-2026Q1008","courseCode":"COURSE-03","courseTitle":"CSEC 101","audienceSector":"law-enforcement","attendees":14}"#,
            #"{"command":"correct-training-session",\#(Self.later),"sessionId":"TS-2026Q1007","corrections":{"attendees":14},"reason":"Sign-in sheet counted 14."}"#,
            #"{"command":"void-training-session",\#(Self.later),"sessionId":"TS-2026Q1008","reasonCode":"duplicate-entry","reason":"Same class as TS-2026Q1007."}"#,
        ]
        let ran = try await scratch.vigil(["command", try scratch.write("c.ndjson", lines: lines)])
        #expect(ran.succeeded, "\(ran)")
        let training = try JSON.object(try await scratch.vigil(["views", "show", "training", "--json"]).stdoutText)
        #expect(training["sessions"] as? Int == 1 && training["peopleTrained"] as? Int == 14, "\(training)")

        let events = try await scratch.eventCount()
        let again =
            #"{"command":"correct-training-session",\#(Self.later),"sessionId":"TS-2026Q1008","corrections":{"attendees":15},"reason":"Count."}"#
        let refused = try await scratch.vigil(["command", try scratch.write("again.ndjson", lines: [again])])
        #expect(!refused.succeeded, "\(refused)")
        #expect(
            refused.stderrText.contains("line 1: record closed: /sessionId: ")
                && refused.stderrText.contains("training session TS-2026Q1008 was voided"), "\(refused)")
        #expect(try await scratch.eventCount() == events)
    }

    @Test(
        "a recovery reported twice is voided once closed and leaves the recoveries; a void of an open case is refused")
    func recoveries() async throws {
        let scratch = try Scratch("recovery-void")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let at = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:dispatcher-7""#
        let later = #""occurredAt":"2026-03-14T04:00:00Z","actor":"user:dispatcher-7""#
        let reports = ["C-2026A00017", "C-2026A00018"].map { caseId in
            #"{"command":"report-recovery",\#(at),"caseId":"\#(caseId)","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street"}"#
        }
        let ran = try await scratch.vigil(["command", try scratch.write("r.ndjson", lines: reports)])
        #expect(ran.succeeded, "\(ran)")
        let void =
            #"{"command":"void-recovery",\#(later),"caseId":"C-2026A00018","reasonCode":"duplicate-entry","reason":"Reported twice; see C-2026A00017."}"#
        let events = try await scratch.eventCount()
        let open = try await scratch.vigil(["command", try scratch.write("open.ndjson", lines: [void])])
        #expect(!open.succeeded && open.stderrText.contains("void needs a closed case"), "\(open)")
        #expect(try await scratch.eventCount() == events)
        let close = #"{"command":"close-case",\#(later),"caseId":"C-2026A00018","outcome":"duplicate"}"#
        let voided = try await scratch.vigil(["command", try scratch.write("v.ndjson", lines: [close, void])])
        #expect(voided.succeeded && voided.stdoutText.contains("RecoveryVoided"), "\(voided)")
        let recoveries = try JSON.object(
            try await scratch.vigil(["views", "show", "recoveries", "--json"]).stdoutText)
        #expect(recoveries["recoveries"] as? Int == 1, "\(recoveries)")
    }
}
