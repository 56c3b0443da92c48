import Foundation
import Testing

/// `vigil import` without `--raw` checks every line against the event catalog: the type, its schema,
/// the rules beyond the schema and the stream-naming rule; `vigil schemas` prints the catalog.
@Suite("Domain import and the catalog")
struct DomainImportTests {
    /// The repository's schemas/examples/valid lines, as one NDJSON file's lines. The examples are
    /// samples checked one by one, so their expected versions (which assume a story's order) go.
    static func examples() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let dir = root.appendingPathComponent("schemas/examples/valid")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try files.map { name in
            var object = try JSON.object(
                String(decoding: Data(contentsOf: dir.appendingPathComponent(name)), as: UTF8.self))
            object["expectedVersion"] = nil
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test("a command-made log's export imports through the rules into an empty store: every line, byte for byte")
    func commandMadeLogReimports() async throws {
        let source = try Scratch("domain-source")
        defer { source.remove() }
        let simulated = try await source.vigil(["simulate", "--seed", "11", "--days", "6"])
        #expect(simulated.succeeded, "\(simulated)")
        let exported = try await source.exportLines()
        #expect(exported.count > 500)
        #expect(
            exported.allSatisfy { !$0.contains(#""dataEncoding":"binary""#) || $0.contains(#""data":{"#) },
            "binary payloads export as JSON")

        let copy = try Scratch("domain-reimport")
        defer { copy.remove() }
        let imported = try await copy.vigil([
            "import", "--batch", "97", try copy.write("export.ndjson", lines: exported),
        ])
        #expect(imported.succeeded, "\(imported)")
        #expect(imported.stderrText.contains("imported \(exported.count) events"), "\(imported)")
        #expect(try await copy.exportLines() == exported)
        let heads = try await [source.vigil(["verify"]), copy.vigil(["verify"])]
        #expect(heads[0].succeeded && heads[0].stdoutText == heads[1].stdoutText)
    }

    @Test("a line the rules refuse names its line, field and rule; the store is as it was (log stat, verify)")
    func ruleRefusal() async throws {
        let scratch = try Scratch("domain-rules")
        defer { scratch.remove() }
        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-scv-114""#
        let recovery =
            #"{"stream":"case-C-2026A00017","type":"RecoveryReported",\#(envelope),"data":{"caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street"}}"#
        try await scratch.setupCounty()
        let first = try await scratch.vigil(["import", try scratch.write("first.ndjson", lines: [recovery])])
        #expect(first.succeeded, "\(first)")
        let before = try await [scratch.vigil(["log", "stat", "--json"]), scratch.vigil(["verify", "--json"])]

        let referral =
            #"{"stream":"case-C-2026A00017","type":"HotlineReferralCreated",\#(envelope),"data":{"caseId":"C-2026A00017","referralNumber":"1903202600017402915","responseCategory":"immediate"}}"#
        let arrival =
            #"{"stream":"case-C-2026A00017","type":"ResponderArrived",\#(envelope),"data":{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","role":"advocate"}}"#
        for (lines, mention) in [
            ([referral, arrival], "line 2: /data/caseId: arrival before dispatch: "),
            ([recovery], "line 1: /data/caseId: case already reported: "),
            (
                [referral.replacingOccurrences(of: "2026-03-14T02:05:00Z", with: "2099-01-01T00:00:00Z")],
                "line 1: /occurredAt: in the future: "
            ),
        ] {
            let result = try await scratch.vigil(["import", try scratch.write("bad.ndjson", lines: lines)])
            #expect(!result.succeeded && result.stderrText.contains(mention), "\(result)")
            #expect(result.stderrText.contains("nothing of its batch was written"), "\(result)")
            let after = try await [scratch.vigil(["log", "stat", "--json"]), scratch.vigil(["verify", "--json"])]
            #expect(after.map(\.stdoutText) == before.map(\.stdoutText), "the store changed")
        }
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let line: String
        let mentions: String
        var testDescription: String { mentions }
    }

    static let bad: [Bad] = [
        Bad(
            line:
                #"{"stream":"case-C-2026A00017","type":"ResponderAssigned","occurredAt":"2026-03-14T02:13:00Z","actor":"user:d-7","data":{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","mode":"manual"}}"#,
            mentions: "/data/overrideReason"),
        Bad(
            line:
                #"{"stream":"case-C-2026A00099","type":"ResponderAssigned","occurredAt":"2026-03-14T02:13:00Z","actor":"user:d-7","data":{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017","mode":"manual","overrideReason":"closest"}}"#,
            mentions: "/stream: ResponderAssigned belongs in stream case-C-2026A00017"),
        Bad(
            line:
                #"{"stream":"case-C-1","type":"Nope","occurredAt":"2026-03-14T02:13:00Z","actor":"user:d-7","data":{}}"#,
            mentions: "/type: unknown event type"),
        Bad(
            line:
                #"{"stream":"case-C-2026A00017","type":"HotlineReferralCreated","occurredAt":"2026-03-14T02:13:00Z","actor":"user:d-7","data":{"caseId":"C-2026A00017","referralNumber":"123","responseCategory":"immediate"}}"#,
            mentions: "/data/referralNumber"),
        Bad(
            line:
                #"{"stream":"arrest-A-2026X001","type":"ArrestRecorded","schemaVersion":9,"occurredAt":"2026-03-14T02:13:00Z","actor":"user:d-7","data":{}}"#,
            mentions: "/schemaVersion"),
    ]

    @Test("a line the catalog refuses is named by line and field, and nothing of its batch is written", arguments: bad)
    func refused(_ bad: Bad) async throws {
        let scratch = try Scratch("domain-bad")
        defer { scratch.remove() }
        let good = try Self.examples().first { $0.contains(#""type":"AreaRegistered""#) }!
        let result = try await scratch.vigil(["import", try scratch.write("bad.ndjson", lines: [good, bad.line])])
        #expect(!result.succeeded, "\(result)")
        #expect(result.stderrText.contains("line 2: \(bad.mentions)"), "\(result)")
        #expect(result.stderrText.contains("nothing of its batch was written"), "\(result)")
        let stat = try await scratch.vigil(["log", "stat", "--json"])
        let events = stat.succeeded ? try JSON.object(stat.stdoutText)["events"] as? Int : 0
        #expect(events == 0, "\(stat)")
    }

    @Test("vigil schemas lists the catalog and shows a schema; an unknown type gets a suggestion")
    func schemasCommand() async throws {
        let scratch = try Scratch("schemas")
        defer { scratch.remove() }
        let list = try await scratch.vigil(["schemas", "list"])
        #expect(list.succeeded && list.stdoutText.contains("ArrestRecorded") && list.stdoutText.contains("v1,v2"))
        #expect(list.stdoutText.contains("\(Repository.eventTypes) event types"))
        let show = try await scratch.vigil(["schemas", "show", "ArrestRecorded", "--version", "1"])
        #expect(show.succeeded && show.stdoutText.contains(#""$id": "urn:vigil:event:ArrestRecorded:v1""#), "\(show)")
        let unknown = try await scratch.vigil(["schemas", "show", "arrest"])
        #expect(!unknown.succeeded && unknown.stderrText.contains("did you mean ArrestRecorded"), "\(unknown)")
    }
}
