import Foundation
import Testing

@Suite("vigil setup county")
struct SetupCountyTests {
    @Test(
        "the shipped list loads through the register commands once; again it writes nothing; facts are checked against it"
    )
    func losAngeles() async throws {
        let scratch = try Scratch("setup-county")
        defer { scratch.remove() }
        let dry = try await scratch.vigil(["setup", "county", "--dry-run", "los-angeles"])
        #expect(dry.succeeded, "\(dry)")
        #expect(
            dry.completeStdoutLines.filter { $0.hasPrefix(#"{"command":"register-station""#) }.count == 48, "\(dry)")
        #expect(dry.stdoutText.contains("would run"), "\(dry)")
        let stat = try await scratch.vigil(["log", "stat", "--json"])
        let written = stat.succeeded ? try JSON.object(stat.stdoutText)["events"] as? Int : 0
        #expect(written == 0, "a dry run writes nothing")

        let loaded = try await scratch.vigil(["setup", "county", "los-angeles"])
        #expect(loaded.succeeded, "\(loaded)")
        #expect(
            loaded.stdoutText.contains(
                "Los Angeles County: 8 areas, 3 agencies, 48 stations, 0 courses; ran 3 register-agency, 8 register-area, 48 register-station"
            ), "\(loaded)")
        #expect(try await scratch.eventCount() == 59)
        let again = try await scratch.vigil(["setup", "county", "los-angeles"])
        #expect(again.succeeded && again.stdoutText.contains("nothing to do"), "\(again)")
        #expect(try await scratch.eventCount() == 59)

        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-1""#
        let wrongArea =
            #"{"command":"report-recovery",\#(envelope),"caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA4","contactAt":"2026-03-14T01:58:00Z","context":"street"}"#
        let refused = try await scratch.vigil(["command", try scratch.write("c.ndjson", lines: [wrongArea])])
        #expect(!refused.succeeded, "\(refused)")
        #expect(
            refused.stderrText.contains("line 1: station under another agency or area: /station:")
                && refused.stderrText.contains("station SCV is in SPA2, not SPA4"), "\(refused)")
    }

    @Test("a list that breaks its schema or moves a registered station is refused whole, naming the entry")
    func badLists() async throws {
        let scratch = try Scratch("setup-county-bad")
        defer { scratch.remove() }
        let lowercase = try scratch.write(
            "lower.json",
            lines: [
                #"{"county":"Test County","areas":[{"area":"SPA2","name":"San Fernando"}],"agencies":[{"agency":"LASD","name":"Sheriff"}],"stations":[{"station":"scv","name":"SCV","agency":"LASD","area":"SPA2"}]}"#
            ])
        let schema = try await scratch.vigil(["setup", "county", lowercase])
        #expect(!schema.succeeded && schema.stderrText.contains("/stations/0/station"), "\(schema)")
        let stat = try await scratch.vigil(["log", "stat", "--json"])
        let written = stat.succeeded ? try JSON.object(stat.stdoutText)["events"] as? Int : 0
        #expect(written == 0, "nothing written")

        try await scratch.setupCounty()
        let events = try await scratch.eventCount()
        let moved = try scratch.write(
            "moved.json",
            lines: [
                #"{"county":"Test County","areas":[{"area":"SPA4","name":"Metro"}],"agencies":[{"agency":"LASD","name":"Sheriff"}],"stations":[{"station":"SCV","name":"SCV","agency":"LASD","area":"SPA4"}]}"#
            ])
        let conflict = try await scratch.vigil(["setup", "county", moved])
        #expect(!conflict.succeeded, "\(conflict)")
        #expect(
            conflict.stderrText.contains("/stations/0: station SCV is registered under LASD in SPA2")
                && conflict.stderrText.contains("nothing was written"), "\(conflict)")
        #expect(try await scratch.eventCount() == events)
    }
}
