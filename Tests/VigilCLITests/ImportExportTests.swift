import Foundation
import Testing

@Suite("Export and import")
struct ImportExportTests {
    /// Events of several streams with everything an import line can carry: client ids and store
    /// ids, expected versions of every kind, schema versions, correlation and causation ids,
    /// metadata, and data of many shapes (nested objects and arrays, unicode, escapes, numbers,
    /// booleans, null, empty containers), plus one binary payload.
    static let lines: [String] = [
        #"{"stream":"case-C-1","type":"RecoveryReported","id":"6f1c3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f","#
            + #""expectedVersion":"noStream","schemaVersion":2,"occurredAt":"2026-03-14T02:13:00Z","#
            + #""actor":"user:dispatcher-7","correlationId":"0190f1c2-7a4e-7b1d-9c3a-5e2f4d6b8a10","#
            + #""causationId":"a3bb189e-8bf9-3888-9912-ace4e6543002","#
            + #""metadata":{"source":"cad","tags":["intake","priority"],"trace":{"span":1,"sampled":true}},"#
            + #""data":{"patient":{"age":54,"conditions":["asthma","diabetes"]},"location":{"lat":47.3769,"#
            + #""lon":8.5417},"priority":1}}"#,
        #"{"stream":"unit-E7","type":"UnitDispatched","occurredAt":"2026-03-14T03:13:00.250+01:00","#
            + #""actor":"system:auto-dispatch","data":{"unit":"E7","crew":["Zoë","Łukasz","東京太郎"],"#
            + #""eta":"🚑 in 4 min"}}"#,
        #"{"stream":"case-C-1","type":"TriageUpdated","expectedVersion":1,"occurredAt":"2026-03-14T02:14:30Z","#
            + #""actor":"user:dispatcher-7","correlationId":"0190f1c2-7a4e-7b1d-9c3a-5e2f4d6b8a10","#
            + #""data":{"int":42,"negative":-7,"zero":0,"big":9007199254740993,"float":3.25,"tiny":1e-7,"#
            + #""huge":1.5e300,"tenth":0.1,"bools":[true,false],"nothing":null}}"#,
        #"{"stream":"incident/東京-🚑","type":"IncidentOpened","id":"c9bf9e57-1685-4c89-bafb-ff5af830be8a","#
            + #""occurredAt":"2026-03-14T02:15:00.000001Z","actor":"user:Zoë","#
            + #""data":{"empty":{},"emptyArray":[],"deep":{"a":{"b":{"c":[[1,[2,[3,{"d":"e"}]]]]}}}}}"#,
        #"{"stream":"unit-E7","type":"TelemetryBlob","expectedVersion":"exists","occurredAt":"2026-03-14T02:16:00Z","#
            + #""actor":"device:e7-modem","dataBase64":"AAECAwT/gA==","dataEncoding":"binary"}"#,
        #"{"stream":"case-C-1","type":"NoteAdded","expectedVersion":"any","occurredAt":"2026-03-14T02:17:00Z","#
            + #""actor":"user:dispatcher-7","causationId":"6f1c3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f","#
            + #""data":{"text":"quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u0007 nul\u0000 ls\u2028 end","#
            + #""ключ":"значение","emoji 🚑":"👩‍⚕️","escaped":"\u00e9\ud83d\ude91"}}"#,
        #"{"stream":"unit-E7","type":"UnitArrived","id":"d4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f60718","expectedVersion":2,"#
            + #""occurredAt":"2026-03-14T02:18:00-05:30","actor":"user:crew-e7","metadata":{},"#
            + #""data":{"at":{"lat":47.37,"lon":8.54},"odometer":123456789012}}"#,
        #"{"stream":"incident/東京-🚑","type":"IncidentClosed","occurredAt":"2026-03-14T02:19:00Z","#
            + #""actor":"user:Zoë","metadata":{"reason":"resolved","by":{"team":["a","b"]}},"data":{}}"#,
    ]

    /// The fields that must survive export → import → export unchanged. recordedAt is when a
    /// store recorded the event, so it differs between two stores, and hash chains over it, so it
    /// differs too; everything else must be equal.
    static let preserved = [
        "position", "stream", "version", "id", "type", "schemaVersion", "occurredAt", "actor", "correlationId",
        "causationId", "metadata", "data", "dataBase64", "dataEncoding",
    ]

    @Test("Export, import into an empty store, export: the same events at the same positions")
    func roundTrip() async throws {
        let scratch = try Scratch("round-trip")
        defer { scratch.remove() }
        let input = try Self.lines.map { try JSON.object($0) }
        let file = try scratch.write("events.ndjson", lines: Self.lines)
        let imported = try await scratch.vigil(["import", "--raw", file])
        try #require(imported.succeeded, "\(imported)")
        #expect(imported.stderrText.contains("imported \(Self.lines.count) events at positions 1–\(Self.lines.count)"))

        // The first export against what went in.
        let firstLines = try await scratch.exportLines()
        let first = try firstLines.map { try JSON.object($0) }
        try #require(first.count == Self.lines.count)
        var versions: [String: Int] = [:]
        for (i, (given, stored)) in zip(input, first).enumerated() {
            let stream = try #require(given["stream"] as? String)
            versions[stream, default: 0] += 1
            #expect(stored["position"] as? Int == i + 1)
            #expect(stored["stream"] as? String == stream)
            #expect(stored["version"] as? Int == versions[stream])
            if let id = given["id"] {
                #expect(stored["id"] as? String == id as? String)
            } else {
                #expect((stored["id"] as? String).flatMap(UUID.init(uuidString:)) != nil, "a store-made id")
            }
            for field in [
                "type", "actor", "correlationId", "causationId", "metadata", "data", "dataBase64", "dataEncoding",
            ] {
                #expect(JSON.canonical(stored[field]) == JSON.canonical(given[field]), "line \(i + 1): \(field)")
            }
            #expect(stored["schemaVersion"] as? Int == (given["schemaVersion"] as? Int ?? 1))
            #expect(stored["recordedAt"] is String && stored["hash"] is String)
        }
        // Timestamps come back in UTC, with microseconds when there are any.
        #expect(
            first.map { $0["occurredAt"] as? String } == [
                "2026-03-14T02:13:00Z", "2026-03-14T02:13:00.250000Z", "2026-03-14T02:14:30Z",
                "2026-03-14T02:15:00.000001Z", "2026-03-14T02:16:00Z", "2026-03-14T02:17:00Z",
                "2026-03-14T07:48:00Z", "2026-03-14T02:19:00Z",
            ])
        // Spot checks that do not go through JSONSerialization on both sides.
        let text = try #require((first[5]["data"] as? [String: Any])?["text"] as? String)
        #expect(text == "quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u{7} nul\u{0} ls\u{2028} end")
        #expect((first[5]["data"] as? [String: Any])?["escaped"] as? String == "é🚑")
        #expect((first[2]["data"] as? [String: Any])?["big"] as? Int == 9_007_199_254_740_993)
        #expect(first[4]["dataBase64"] as? String == "AAECAwT/gA==")

        // Import the export into an empty store (through standard input), export again.
        let copy = try Scratch("round-trip-copy")
        defer { copy.remove() }
        let reimport = try await copy.vigil(
            ["import", "--raw", "-"], stdin: Data((firstLines.joined(separator: "\n") + "\n").utf8))
        try #require(reimport.succeeded, "\(reimport)")
        let second = try await copy.export()
        try #require(second.count == first.count)
        for (i, (a, b)) in zip(first, second).enumerated() {
            #expect(Set(a.keys) == Set(b.keys), "line \(i + 1)")
            for field in Self.preserved {
                #expect(JSON.canonical(a[field]) == JSON.canonical(b[field]), "line \(i + 1): \(field)")
            }
        }
        let verify = try await copy.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
    }

    /// Importing a store's export into the same store writes nothing. Every event id is already
    /// stored, so the import is an idempotent retry: it succeeds and says so (the store's contract:
    /// an append whose ids are all stored returns the original positions). Without the ids, the
    /// versions are taken and it fails; a batch mixing stored and new ids fails too.
    @Test("import --raw restores an export exactly: same positions, recordedAt, hashes and chain head")
    func rawRestore() async throws {
        let source = try Scratch("raw-source")
        defer { source.remove() }
        let target = try Scratch("raw-target")
        defer { target.remove() }
        let imported = try await source.vigil(["import", "--raw", try source.write("events.ndjson", lines: Self.lines)])
        try #require(imported.succeeded, "\(imported)")
        let exported = try await source.exportLines()
        let file = try target.write("export.ndjson", lines: exported)
        let restored = try await target.vigil(["import", "--raw", "--batch", "3", file])
        #expect(restored.succeeded, "\(restored)")
        #expect(try await target.exportLines() == exported, "byte-identical export, recordedAt and hash included")
        let heads = try await [source.vigil(["verify"]), target.vigil(["verify"])]
        #expect(heads[0].succeeded && heads[0].stdoutText == heads[1].stdoutText)

        // A changed byte in the export is caught by its hash, and nothing of the restore is written.
        let other = try Scratch("raw-tampered")
        defer { other.remove() }
        var tampered = exported
        tampered[1] = tampered[1].replacingOccurrences(of: "\"actor\":\"", with: "\"actor\":\"x")
        let refused = try await other.vigil(["import", "--raw", try other.write("bad.ndjson", lines: tampered)])
        #expect(!refused.succeeded && refused.stderrText.contains("line 2: position 2 hashes to"), "\(refused)")

        // Plain lines (no position) under --raw are appended unchecked, as store-level lines.
        let plain = try await other.vigil(["import", "--raw", try other.write("plain.ndjson", lines: Self.lines)])
        #expect(plain.succeeded, "\(plain)")
        #expect(try await other.eventCount() == Self.lines.count)
        // A batch cannot mix the two.
        let mixed = try Scratch("raw-mixed")
        defer { mixed.remove() }
        let lines = [exported[0], Self.lines[1]]
        let refusedMix = try await mixed.vigil(["import", "--raw", try mixed.write("mix.ndjson", lines: lines)])
        #expect(
            !refusedMix.succeeded && refusedMix.stderrText.contains("line 2: a batch restoring export lines"),
            "\(refusedMix)")
    }

    @Test("Importing an export into the same store writes nothing")
    func reimportIntoSameStore() async throws {
        let scratch = try Scratch("same-store")
        defer { scratch.remove() }
        let file = try scratch.write("events.ndjson", lines: Self.lines)
        let imported = try await scratch.vigil(["import", "--raw", file])
        try #require(imported.succeeded, "\(imported)")
        let exportFile = scratch.path("export.ndjson")
        let exported = try await scratch.vigil(["export", exportFile])
        try #require(exported.succeeded, "\(exported)")
        let before = try await scratch.exportLines()
        let count = Self.lines.count
        #expect(try await scratch.eventCount() == count)

        // As is: every id already stored.
        let again = try await scratch.vigil(["import", "--raw", "--ack", exportFile])
        #expect(again.succeeded, "\(again)")
        #expect(again.stderrText.contains("imported 0 events; \(count) were already stored"), "\(again)")
        let acks = again.completeStdoutLines.compactMap { try? JSON.object($0)["position"] as? Int }
        #expect(acks == Array(1...count), "the original positions")
        #expect(try await scratch.exportLines() == before)

        // Without ids an export line cannot be restored.
        let exportedLines = try String(contentsOfFile: exportFile, encoding: .utf8).split(separator: "\n")
        let withoutIDs = try exportedLines.map { line -> String in
            var object = try JSON.object(line)
            object["id"] = nil
            return JSON.canonical(object)
        }
        let noIDs = try await scratch.vigil(["import", "--raw", try scratch.write("no-ids.ndjson", lines: withoutIDs)])
        #expect(!noIDs.succeeded && noIDs.signal == nil, "\(noIDs)")
        #expect(noIDs.stderrText.contains("line 1:"), "\(noIDs)")
        #expect(noIDs.stderrText.contains("needs its recordedAt and id"), "\(noIDs)")
        #expect(noIDs.stderrText.contains("nothing of its batch was written"), "\(noIDs)")
        #expect(try await scratch.exportLines() == before)

        // The export plus one plain new event, in one batch: a restore cannot mix them.
        let fresh = ImportLine(stream: "case-C-99", id: UUID()).text
        let mixedLines = exportedLines.map(String.init) + [fresh]
        let mixed = try await scratch.vigil(["import", "--raw", try scratch.write("mixed.ndjson", lines: mixedLines)])
        #expect(!mixed.succeeded && mixed.signal == nil, "\(mixed)")
        #expect(mixed.stderrText.contains("line \(count + 1): a batch restoring export lines"), "\(mixed)")
        #expect(mixed.stderrText.contains("nothing of lines 1–\(count + 1) was written"), "\(mixed)")
        #expect(try await scratch.eventCount() == count)
        #expect(try await scratch.exportLines() == before)
    }
}
