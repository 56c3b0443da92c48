import Foundation
import Testing

@Suite("Simulate and command")
struct SimulateAndCommandTests {
    @Test("vigil simulate: the same seed gives the same log; a store with events is refused")
    func simulate() async throws {
        let a = try Scratch("sim-a")
        defer { a.remove() }
        let b = try Scratch("sim-b")
        defer { b.remove() }
        let args = ["simulate", "--seed", "7", "--days", "10"]
        let first = try await a.vigil(args)
        #expect(first.succeeded && first.stdoutText.contains("simulated "), "\(first)")
        let second = try await b.vigil(args)
        #expect(second.succeeded, "\(second)")
        #expect(try await a.exportLines() == (try await b.exportLines()), "byte for byte")
        let verify = try await a.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
        let again = try await a.vigil(args)
        #expect(!again.succeeded && again.stderrText.contains("already holds events"), "\(again)")
        let bad = try await a.vigil(["simulate", "--years", "0"])
        #expect(!bad.succeeded && bad.stderrText.contains("--years"), "\(bad)")
    }

    @Test("vigil command: commands are appended and printed; a refused one names its line and rule")
    func command() async throws {
        let scratch = try Scratch("command")
        defer { scratch.remove() }
        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-scv-114""#
        let lines = [
            #"{"command":"report-recovery",\#(envelope),"caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street","ageAtContact":15}"#,
            #"{"command":"request-response",\#(envelope),"caseId":"C-2026A00017","role":"advocate"}"#,
            #"{"command":"arrive",\#(envelope),"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017"}"#,
        ]
        try await scratch.setupCounty()
        let result = try await scratch.vigil(["command", try scratch.write("commands.ndjson", lines: lines)])
        #expect(!result.succeeded, "\(result)")
        let printed = result.completeStdoutLines
        #expect(printed.count == 2, "\(result)")
        #expect(printed.first?.contains(#""command":"report-recovery""#) == true)
        #expect(result.stderrText.contains("line 3:"), "\(result)")
        #expect(result.stderrText.contains("2 commands before it were"), "\(result)")
        let list = try await scratch.vigil(["command", "--list"])
        #expect(list.succeeded && list.stdoutText.contains("assign-by-policy"), "\(list)")
        #expect(list.stdoutText.contains("\(Repository.commands) commands"), "\(list)")
        let show = try await scratch.vigil(["command", "show", "assign-manually"])
        #expect(show.succeeded && show.stdoutText.contains("appends: "), "\(show)")
        #expect(show.stdoutText.contains(#""$id": "urn:vigil:command:assign-manually""#), "\(show)")
        let schema = try await scratch.vigil(["command", "show", "assign-manually", "--schema"])
        #expect(schema.succeeded && schema.stdoutText.hasPrefix("{"), "\(schema)")
        let unknown = try await scratch.vigil(["command", "show", "assign"])
        #expect(!unknown.succeeded && unknown.stderrText.contains("did you mean assign-by-policy"), "\(unknown)")
    }
}
