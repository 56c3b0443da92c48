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

    @Test("every catalog example imports, exports with its data as JSON, and restores byte for byte")
    func examplesRoundTrip() async throws {
        let lines = try Self.examples()
        let scratch = try Scratch("domain-examples")
        defer { scratch.remove() }
        let imported = try await scratch.vigil(["import", try scratch.write("examples.ndjson", lines: lines)])
        #expect(imported.succeeded, "\(imported)")
        let exported = try await scratch.exportLines()
        #expect(exported.count == lines.count)
        #expect(
            exported.allSatisfy { $0.contains(#""dataEncoding":"binary","data":{"#) }, "binary payloads export as JSON")

        let copy = try Scratch("domain-restore")
        defer { copy.remove() }
        let restored = try await copy.vigil(["import", "--raw", try copy.write("export.ndjson", lines: exported)])
        #expect(restored.succeeded, "\(restored)")
        #expect(try await copy.exportLines() == exported)
        let heads = try await [scratch.vigil(["verify"]), copy.vigil(["verify"])]
        #expect(heads[0].succeeded && heads[0].stdoutText == heads[1].stdoutText)
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
        let good = try Self.examples().first { $0.contains(#""type":"TrainingSessionHeld""#) }!
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
        #expect(list.stdoutText.contains("48 event types"))
        let show = try await scratch.vigil(["schemas", "show", "ArrestRecorded", "--version", "1"])
        #expect(show.succeeded && show.stdoutText.contains(#""$id": "urn:vigil:event:ArrestRecorded:v1""#), "\(show)")
        let unknown = try await scratch.vigil(["schemas", "show", "arrest"])
        #expect(!unknown.succeeded && unknown.stderrText.contains("did you mean ArrestRecorded"), "\(unknown)")
    }
}
