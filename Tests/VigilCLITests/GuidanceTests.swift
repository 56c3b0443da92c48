import Foundation
import Testing

/// The CLI tells the truth about itself and helps a newcomer who mistypes.
@Suite("CLI guidance")
struct GuidanceTests {
    @Test("a mistyped subcommand gets 'did you mean', at any level; a mistyped option too")
    func didYouMean() async throws {
        let scratch = try Scratch("guidance")
        defer { scratch.remove() }
        let top = try await VigilProcess.run(["improt", "x.ndjson"], in: scratch.url)
        #expect(top.status == 64, "\(top)")
        #expect(top.stderrText.contains("'improt' is not a command of 'vigil'. Did you mean 'vigil import'?"), "\(top)")
        #expect(top.stderrText.contains("import, export, verify"))
        let nested = try await VigilProcess.run(["log", "shwo", "3"], in: scratch.url)
        #expect(nested.status == 64 && nested.stderrText.contains("Did you mean 'vigil log show'?"), "\(nested)")
        let far = try await VigilProcess.run(["zzzzzz"], in: scratch.url)
        #expect(far.status == 64 && !far.stderrText.contains("Did you mean"), "\(far)")
        let option = try await VigilProcess.run(["simulate", "--dayz", "3"], in: scratch.url)
        #expect(option.status == 64 && option.stderrText.contains("Did you mean '--days'?"), "\(option)")
        // `help` and real subcommands still parse.
        let help = try await VigilProcess.run(["help", "log", "show"], in: scratch.url)
        #expect(help.succeeded && help.stdoutText.contains("POSITION"), "\(help)")
    }

    @Test("vigil --help lists each subcommand once")
    func subcommandsOnce() async throws {
        let scratch = try Scratch("guidance-once")
        defer { scratch.remove() }
        let help = try await VigilProcess.run(["--help"], in: scratch.url)
        #expect(help.succeeded, "\(help)")
        let listed = help.stdoutText.split(separator: "\n").compactMap { line -> Substring? in
            // "  import                  Append events …": two spaces, then the name.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                name.allSatisfy({ $0.isLetter || $0 == "-" })
            else { return nil }
            return name
        }
        #expect(listed.contains("audit") && listed.contains("import") && listed.contains("openapi"), "\(listed)")
        #expect(listed.count == Set(listed).count, "a subcommand listed twice: \(listed)")
    }

    @Test("export --help says its output restores with import --raw, and it does")
    func exportHelpIsTrue() async throws {
        let scratch = try Scratch("export-help")
        defer { scratch.remove() }
        let help = try await VigilProcess.run(["export", "--help"], in: scratch.url)
        #expect(help.succeeded && help.stdoutText.contains("'vigil import --raw'"), "\(help)")
        let file = try scratch.write("in.ndjson", lines: ProgressOutputTests.lines(5))
        try #require(try await scratch.vigil(["import", "--raw", file]).succeeded)
        let exported = try await scratch.vigil(["export", scratch.path("out.ndjson")])
        try #require(exported.succeeded)
        let other = try Scratch("export-help-restore")
        defer { other.remove() }
        let restored = try await other.vigil(["import", "--raw", scratch.path("out.ndjson")])
        #expect(restored.succeeded && restored.stderrText.contains("imported 5 events at positions 1–5"), "\(restored)")
        // The plain import takes new events, not export lines: it says so rather than mixing them in.
        let plain = try await other.vigil(["import", scratch.path("out.ndjson")])
        #expect(!plain.succeeded, "\(plain)")
    }

    @Test("simulate: --years and --days exclude each other")
    func yearsOrDays() async throws {
        let scratch = try Scratch("years-days")
        defer { scratch.remove() }
        let both = try await scratch.vigil(["simulate", "--years", "1", "--days", "3"])
        #expect(both.status == 64 && both.stderrText.contains("--years and --days exclude each other"), "\(both)")
        #expect(!FileManager.default.fileExists(atPath: scratch.data), "nothing written")
    }

    @Test("schemas list --json is one JSON document")
    func schemasListJSON() async throws {
        let scratch = try Scratch("schemas-json")
        defer { scratch.remove() }
        let list = try await scratch.vigil(["schemas", "list", "--json"])
        try #require(list.succeeded, "\(list)")
        let document = try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]]
        let types = try #require(document).compactMap { $0["type"] as? String }
        // One entry per event type in schemas/events/ (each type's versions are files of their own).
        let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../schemas/events")
        let files = try FileManager.default.contentsOfDirectory(atPath: schemas.standardizedFileURL.path)
        let catalog = Set(files.compactMap { $0.split(separator: ".").first.map(String.init) })
        #expect(Set(types) == catalog && types.count == catalog.count && types.contains("RecommendationComputed"))
    }

    @Test("log show prints one event whole, by position or by id, indented, with its envelope")
    func logShow() async throws {
        let scratch = try Scratch("log-show")
        defer { scratch.remove() }
        let long = (1...400).map { #"{"candidate":\#($0),"reasons":["a","b"]}"# }.joined(separator: ",")
        let lines = [
            #"{"stream":"s-1","type":"Tick","occurredAt":"2026-03-14T02:13:00Z","actor":"test","data":{"n":1}}"#,
            #"{"stream":"s-1","type":"Decision","id":"0190f1c2-7a4e-7b1d-9c3a-5e2f4d6b8a10","#
                + #""occurredAt":"2026-03-14T02:14:00Z","actor":"test","data":{"candidates":[\#(long)],"empty":{},"#
                + #""none":[],"text":"a \"quoted\", {braced} [text]: here"}}"#,
        ]
        try #require(
            try await scratch.vigil(["import", "--raw", try scratch.write("in.ndjson", lines: lines)]).succeeded)
        let byPosition = try await scratch.vigil(["log", "show", "2"])
        try #require(byPosition.succeeded, "\(byPosition)")
        let text = byPosition.stdoutText
        #expect(text.hasPrefix("{\n  \"position\": 2,\n  \"stream\": \"s-1\",\n"), "\(text.prefix(200))")
        #expect(text.contains("\n        \"candidate\": 400,\n"), "nothing cut: the 400th candidate is there")
        #expect(text.contains("\"empty\": {},\n") && text.contains("\"none\": [],\n"))
        #expect(text.contains(#""text": "a \"quoted\", {braced} [text]: here""#))
        #expect(text.split(separator: "\n").count > 1_600)
        // The indented text is the export line's JSON, value for value.
        let parsed = try JSON.object(text)
        let exported = try await scratch.export()
        #expect(JSON.canonical(parsed) == JSON.canonical(exported[1]))

        let byId = try await scratch.vigil(["log", "show", "--id", "0190F1C2-7A4E-7B1D-9C3A-5E2F4D6B8A10"])
        #expect(byId.succeeded && byId.stdout == byPosition.stdout, "\(byId)")
        let line = try await scratch.vigil(["log", "show", "1", "--json"])
        #expect(line.succeeded && line.completeStdoutLines.count == 1, "\(line)")

        let past = try await scratch.vigil(["log", "show", "3"])
        #expect(!past.succeeded && past.stderrText.contains("has positions 1 to 2, not 3"), "\(past)")
        let unknown = try await scratch.vigil(["log", "show", "--id", "6f1c3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f"])
        #expect(!unknown.succeeded && unknown.stderrText.contains("no event with id"), "\(unknown)")
        let neither = try await scratch.vigil(["log", "show"])
        #expect(neither.status == 64 && neither.stderrText.contains("give a POSITION or --id UUID"), "\(neither)")
        let bad = try await scratch.vigil(["log", "show", "--id", "nope"])
        #expect(bad.status == 64 && bad.stderrText.contains("--id: expected a UUID"), "\(bad)")
    }
}
