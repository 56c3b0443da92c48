import Foundation
import Testing

@Suite("Bad input")
struct BadInputTests {
    /// A bad third line of a four-line file, and what the error must mention besides "line 3".
    struct BadLine: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        var mentions: [String]
        /// Whether the line is refused when it is parsed (before anything of its batch is sent to the
        /// store) rather than by the store at commit.
        var refusedByParser = true

        var testDescription: String { name }
    }

    static let good = ImportLine(stream: "case-C-2")

    static let badLines: [BadLine] = [
        BadLine(name: "not JSON", line: #"{"stream":"case-C-2","type":"#, mentions: ["not valid JSON"]),
        BadLine(name: "not an object", line: #"["case-C-2"]"#, mentions: ["expected a JSON object"]),
        BadLine(
            name: "missing stream",
            line: #"{"type":"NoteAdded","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#,
            mentions: ["field 'stream'", "required"]),
        BadLine(
            name: "missing data",
            line: #"{"stream":"case-C-2","type":"NoteAdded","occurredAt":"2026-03-14T02:13:00Z","actor":"a"}"#,
            mentions: ["field 'data'", "required"]),
        BadLine(
            name: "data not an object",
            line:
                #"{"stream":"case-C-2","type":"NoteAdded","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":[1]}"#,
            mentions: ["field 'data'", "expected a JSON object"]),
        BadLine(
            name: "bad occurredAt",
            line: modified { $0.occurredAt = "2026-02-30T02:13:00Z" },
            mentions: ["field 'occurredAt'", "RFC 3339", "2026-02-30T02:13:00Z"]),
        BadLine(
            name: "occurredAt without zone",
            line: modified { $0.occurredAt = "2026-03-14T02:13:00" },
            mentions: ["field 'occurredAt'", "RFC 3339"]),
        BadLine(
            name: "bad id",
            line:
                #"{"stream":"case-C-2","type":"A","id":"not-a-uuid","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#,
            mentions: ["field 'id'", "UUID"]),
        BadLine(
            name: "negative expectedVersion", line: modified { $0.expectedVersion = "-1" },
            mentions: ["field 'expectedVersion'"]),
        BadLine(
            name: "unknown expectedVersion word", line: modified { $0.expectedVersion = #""later""# },
            mentions: ["field 'expectedVersion'", "\"noStream\""]),
        BadLine(
            name: "fractional expectedVersion", line: modified { $0.expectedVersion = "1.5" },
            mentions: ["field 'expectedVersion'"]),
        BadLine(
            name: "unknown field",
            line:
                #"{"stream":"case-C-2","type":"A","colour":"red","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#,
            mentions: ["field 'colour'", "unknown field"]),
        BadLine(
            name: "stream not a string",
            line: #"{"stream":7,"type":"A","occurredAt":"2026-03-14T02:13:00Z","actor":"a","data":{}}"#,
            mentions: ["field 'stream'", "expected a string"]),
        // Refused by the store when the batch commits; the CLI still names the line.
        BadLine(
            name: "wrong expectedVersion for an existing stream",
            line: modified {
                $0.stream = "case-C-1"
                $0.expectedVersion = "5"
            },
            mentions: ["stream 'case-C-1'", "expected version 5, found version 2"], refusedByParser: false),
        BadLine(
            name: "noStream for an existing stream",
            line: modified {
                $0.stream = "case-C-1"
                $0.expectedVersion = #""noStream""#
            },
            mentions: ["stream 'case-C-1'", "expected no stream, found version 2"], refusedByParser: false),
        BadLine(
            name: "type with a space", line: modified { $0.type = "Unit Dispatched" },
            mentions: ["type", "\"Unit Dispatched\""], refusedByParser: false),
        BadLine(
            name: "empty stream", line: modified { $0.stream = "" }, mentions: ["stream", "1–200 bytes"],
            refusedByParser: false),
    ]

    static func modified(_ change: (inout ImportLine) -> Void) -> String {
        var line = good
        change(&line)
        return line.text
    }

    /// A store holding two events of `case-C-1`.
    static func seededStore(_ label: String) async throws -> Scratch {
        let scratch = try Scratch(label)
        let seed = [ImportLine(stream: "case-C-1").text, ImportLine(stream: "case-C-1").text]
        let result = try await scratch.vigil(["import", "--raw", try scratch.write("seed.ndjson", lines: seed)])
        try #require(result.succeeded, "\(result)")
        return scratch
    }

    /// Lines 1, 2 and 4 are good (stream case-C-2), line 3 is bad. In one batch, nothing is written;
    /// with `--batch 2`, lines 1–2 were committed before line 3's batch and stay.
    @Test(
        "A bad line is reported by number and field, and nothing of its batch is written", arguments: badLines,
        [1_000, 2])
    func badLine(_ bad: BadLine, batch: Int) async throws {
        let scratch = try await Self.seededStore("bad-line")
        defer { scratch.remove() }
        let before = try await scratch.exportLines()
        let file = try scratch.write(
            "bad.ndjson", lines: [Self.good.text, Self.good.text, bad.line, Self.good.text])

        let result = try await scratch.vigil(["import", "--raw", "--batch", "\(batch)", file])
        #expect(!result.succeeded && result.signal == nil, "\(result)")
        #expect(result.status == 1, "\(result)")
        let stderr = result.stderrText
        #expect(stderr.contains("line 3:"), "\(result)")
        for text in bad.mentions {
            #expect(stderr.contains(text), "stderr should mention \(text): \(result)")
        }
        #expect(stderr.contains("was written"), "\(result)")
        if !bad.refusedByParser {
            // The store's message is meant for the CLI to shorten ("events[2]: " names the event by
            // its index in the append, which means nothing to someone reading line numbers).
            #expect(!stderr.contains("events["), "\(result)")
        }

        let after = try await scratch.exportLines()
        if batch == 2 {
            // Lines 1–2 were an earlier batch: they stay. Line 3's batch (lines 3–4) is not written.
            #expect(after.count == before.count + 2, "\(result)")
            #expect(Array(after.prefix(before.count)) == before)
            let kept = try after.dropFirst(before.count).map { try JSON.object($0) }
            #expect(kept.map { $0["stream"] as? String } == ["case-C-2", "case-C-2"])
            #expect(kept.map { $0["version"] as? Int } == [1, 2])
            #expect(stderr.contains("(2 events imported before it)"), "\(result)")
        } else {
            #expect(after == before, "\(result)")
        }
        #expect(try await scratch.eventCount() == after.count)
    }

    /// An id twice in one batch is refused by the store as a whole batch (the error names the
    /// batch's lines and the id, not the line); in a later batch, the id is already stored next to a
    /// new one, which is refused as an idempotency conflict. Either way nothing of the batch is
    /// written.
    @Test("A repeated id is refused and nothing of its batch is written", arguments: [1_000, 2])
    func repeatedID(batch: Int) async throws {
        let scratch = try await Self.seededStore("repeated-id")
        defer { scratch.remove() }
        let id = UUID()
        let lines = [
            ImportLine(stream: "case-C-2", id: id).text, Self.good.text,
            ImportLine(stream: "case-C-3", id: id).text, Self.good.text,
        ]
        let result = try await scratch.vigil([
            "import", "--raw", "--batch", "\(batch)", try scratch.write("dup.ndjson", lines: lines),
        ])
        #expect(!result.succeeded && result.signal == nil, "\(result)")
        #expect(result.stderrText.contains(id.uuidString.lowercased()), "\(result)")
        // Either way the error names line 3, the second use of the id.
        #expect(result.stderrText.contains("line 3: event id"), "\(result)")
        if batch == 2 {
            // The id was stored by line 1's batch for a different event: reusing it is refused.
            #expect(
                result.stderrText.contains("is already stored at position 3 as a different event (stream: stored"),
                "\(result)")
            #expect(try await scratch.eventCount() == 4)
        } else {
            #expect(result.stderrText.contains("appears twice in one append"), "\(result)")
            #expect(try await scratch.eventCount() == 2)
        }
    }

    @Test(
        "Reading commands refuse a missing store and create nothing",
        arguments: [["export", "-"], ["verify"], ["verify", "--json"], ["log", "stat"], ["log", "tail"]])
    func missingStore(_ command: [String]) async throws {
        let scratch = try Scratch("missing")
        defer { scratch.remove() }
        for directory in ["absent", "empty"] {
            let path = scratch.path(directory)
            if directory == "empty" {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            }
            var args = command
            args.insert(contentsOf: ["--data", path], at: command[0] == "log" ? 2 : 1)
            let result = try await VigilProcess.run(args, in: scratch.url)
            #expect(!result.succeeded && result.signal == nil, "\(directory): \(result)")
            #expect(result.status == 1, "\(directory): \(result)")
            #expect(result.stderrText.contains("no Vigil store in \(path)"), "\(directory): \(result)")
            #expect(result.stdout.isEmpty, "\(directory): \(result)")
            if directory == "absent" {
                #expect(!FileManager.default.fileExists(atPath: path), "\(command) created \(path)")
            } else {
                #expect(
                    try FileManager.default.contentsOfDirectory(atPath: path) == [], "\(command) wrote into \(path)")
            }
        }
        // Nor did anything land in the working directory (the default ./vigil-data).
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["empty"])
    }

    @Test("Importing a file that does not exist fails before creating the store")
    func missingImportFile() async throws {
        let scratch = try Scratch("missing-file")
        defer { scratch.remove() }
        let result = try await scratch.vigil(["import", "--raw", scratch.path("nope.ndjson")])
        #expect(!result.succeeded && result.signal == nil, "\(result)")
        #expect(result.stderrText.contains("cannot read \(scratch.path("nope.ndjson"))"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: scratch.data))
    }
}
