import Foundation
import Testing

/// Long commands report progress on standard error — plain lines when it is not a terminal — and
/// never on standard output, which stays the command's data.
@Suite("Progress output")
struct ProgressOutputTests {
    /// Plain lines, one at every update (the interval is zero), so a short run shows them.
    static let everyUpdate = ["VIGIL_PROGRESS": "lines", "VIGIL_PROGRESS_INTERVAL": "0"]

    static func lines(_ count: Int) -> [String] {
        (1...count).map { n in
            #"{"stream":"s-\#(n % 7)","type":"Tick","occurredAt":"2026-03-14T02:13:00Z","actor":"test","data":{"n":\#(n)}}"#
        }
    }

    @Test("import, export, verify and backup: progress lines on stderr, stdout untouched")
    func plainLines() async throws {
        let scratch = try Scratch("progress")
        defer { scratch.remove() }
        let file = try scratch.write("in.ndjson", lines: Self.lines(3_000))

        let imported = try await scratch.vigil(["import", "--raw", file], environment: Self.everyUpdate)
        try #require(imported.succeeded, "\(imported)")
        #expect(imported.stdout.isEmpty)
        let importLines = imported.stderrText.split(separator: "\n").filter { $0.hasPrefix("import --raw: ") }
        #expect(importLines.count == 3, "one line per committed batch: \(imported.stderrText)")
        #expect(importLines.first?.contains("33% (") == true && importLines.first?.contains("1,000 events") == true)
        #expect(importLines.allSatisfy { $0.contains("events/s") })

        let exported = try await scratch.vigil(["export", "-"], environment: Self.everyUpdate)
        try #require(exported.succeeded, "\(exported)")
        let out = exported.stdoutText.split(separator: "\n")
        #expect(out.count == 3_000 && out.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
        #expect(exported.stderrText.contains("export: 34% (1,024 of 3,000 events)"), "\(exported.stderrText)")

        let verified = try await scratch.vigil(["verify"], environment: Self.everyUpdate)
        try #require(verified.succeeded, "\(verified)")
        #expect(verified.stdoutText.hasPrefix("ok: 3000 events") && verified.completeStdoutLines.count == 1)
        #expect(verified.stderrText.contains("verify: 100% (3,000 of 3,000 events)"), "\(verified.stderrText)")

        let backup = try await scratch.vigil(["backup", scratch.path("copy")], environment: Self.everyUpdate)
        try #require(backup.succeeded, "\(backup)")
        #expect(backup.completeStdoutLines.count == 1 && backup.stdoutText.hasPrefix("backup of 3000 events"))
        #expect(
            backup.stderrText.contains("backup: verifying the copy: 100% (3,000 of 3,000 events)"),
            "\(backup.stderrText)")
    }

    @Test("quick work shows no progress at the default interval; VIGIL_PROGRESS=off shows none ever")
    func quiet() async throws {
        let scratch = try Scratch("progress-quiet")
        defer { scratch.remove() }
        let file = try scratch.write("in.ndjson", lines: Self.lines(10))
        let imported = try await scratch.vigil(["import", "--raw", file], environment: ["VIGIL_PROGRESS": "lines"])
        try #require(imported.succeeded, "\(imported)")
        #expect(imported.stderrText == "imported 10 events at positions 1–10\n")
        let exported = try await scratch.vigil(
            ["export", "-"], environment: ["VIGIL_PROGRESS": "off", "VIGIL_PROGRESS_INTERVAL": "0"])
        #expect(exported.stderrText == "exported 10 events\n")
    }
}
