import Foundation
import Testing

@Suite("Backup")
struct BackupTests {
    @Test("a backup is a verified copy with the same head; a non-empty target is refused")
    func copy() async throws {
        let scratch = try Scratch("backup")
        defer { scratch.remove() }
        let lines = (0..<300).map { ImportLine(stream: "case-C-\($0 % 7)", id: UUID()).text }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        let target = scratch.path("copy")
        let backup = try await scratch.vigil(["backup", target])
        #expect(backup.succeeded && backup.stdoutText.contains("backup of 300 events"), "\(backup)")
        let original = try await scratch.vigil(["verify"])
        let copied = try await VigilProcess.run(
            ["verify", "--data", target], stdin: nil, in: scratch.url, timeout: .seconds(60))
        #expect(copied.succeeded && copied.stdoutText == original.stdoutText, "\(copied)")
        let again = try await scratch.vigil(["backup", target])
        #expect(!again.succeeded && again.stderrText.contains("is not empty"), "\(again)")
    }

    @Test("a backup taken while an import is writing is a consistent, verifying snapshot")
    func hot() async throws {
        let scratch = try Scratch("backup-hot")
        defer { scratch.remove() }
        let seed = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s-0").text]),
        ])
        try #require(seed.succeeded, "\(seed)")
        let lines = (0..<20_000).map { ImportLine(stream: "case-C-\($0 % 50)", id: UUID()).text }
        let writer = try scratch.start([
            "import", "--raw", "--batch", "100", try scratch.write("many.ndjson", lines: lines),
        ])
        try await Task.sleep(for: .milliseconds(150))
        let target = scratch.path("hot-copy")
        let backup = try await scratch.vigil(["backup", target])
        #expect(backup.succeeded, "\(backup)")
        _ = await writer.wait(timeout: .seconds(120))
        let copied = try await VigilProcess.run(
            ["verify", "--data", target], stdin: nil, in: scratch.url, timeout: .seconds(60))
        #expect(copied.succeeded && copied.stdoutText.hasPrefix("ok: "), "\(copied)")
    }
}
