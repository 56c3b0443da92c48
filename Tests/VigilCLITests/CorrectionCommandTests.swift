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
}
