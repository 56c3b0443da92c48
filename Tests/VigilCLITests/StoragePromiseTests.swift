import ChildProcess
import Foundation
import Testing

/// The smaller promises of the store, each checked through the real binary: a re-import that
/// straddles stored and new ids names its lines, a storage failure names its cause, and a command
/// refused for its time names the field the user sent.
@Suite("Storage promises")
struct StoragePromiseTests {
    @Test("a re-import whose batch straddles stored and new ids names the lines; the earlier batches stay")
    func straddle() async throws {
        let scratch = try Scratch("straddle")
        defer { scratch.remove() }
        let ids = (0..<6).map { _ in UUID() }
        let lines = ids.enumerated().map { ImportLine(stream: "case-C-\($0.offset % 2)", id: $0.element).text }
        let firstFour = try await scratch.vigil([
            "import", "--raw", try scratch.write("a.ndjson", lines: Array(lines[0..<4])),
        ])
        try #require(firstFour.succeeded, "\(firstFour)")
        let again = try await scratch.vigil([
            "import", "--raw", "--batch", "3", try scratch.write("b.ndjson", lines: lines),
        ])
        #expect(!again.succeeded && again.signal == nil, "\(again)")
        // Lines 1–3 are a stored batch (a retry); lines 4–6 mix line 4 (stored) with 5 and 6 (new).
        let id5 = ids[4].uuidString.lowercased()
        #expect(
            again.stderrText.contains(
                "Error: line 5: this event is new (id \(id5) is not stored), but line 4 of the same append is stored already"
            ), "\(again)")
        #expect(again.stderrText.contains("at position 4); 1 of the append's 3 events are stored"), "\(again)")
        #expect(again.stderrText.contains("nothing of lines 4–6 was written"), "\(again)")
        #expect(try await scratch.eventCount() == 4)
    }

    @Test(
        "a year-9999 time is refused at the field the user sent, not at a field derived from it",
        arguments: [
            ("occurredAt", #""occurredAt":"9999-12-31T23:00:00Z""#, #""contactAt":"2026-03-14T01:58:00Z""#),
            ("contactAt", #""occurredAt":"2026-03-14T02:05:00Z""#, #""contactAt":"9999-12-30T01:58:00Z""#),
        ])
    func lateTime(field: String, occurredAt: String, contactAt: String) async throws {
        let scratch = try Scratch("late-\(field)")
        defer { scratch.remove() }
        let command =
            #"{"command":"report-recovery",\#(occurredAt),"actor":"user:deputy-1","caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2",\#(contactAt),"context":"street"}"#
        let result = try await scratch.vigil(["command", try scratch.write("c.ndjson", lines: [command])])
        #expect(!result.succeeded && result.signal == nil, "\(result)")
        #expect(result.stderrText.contains("/\(field): \(field) 9999-12-3"), "\(result)")
        #expect(result.stderrText.contains("is too late"), "\(result)")
        #expect(!result.stderrText.contains("dueAt"), "\(result)")
        if FileManager.default.fileExists(atPath: scratch.data + "/data.mdb") {
            #expect(try await scratch.eventCount() == 0, "nothing was written")
        }
    }

    @Test(
        "a write beyond the process's file size limit names the cause and crashes nothing; what was acknowledged stays")
    func fileSizeLimit() async throws {
        let scratch = try Scratch("fsize")
        defer { scratch.remove() }
        let seed = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s").text]),
        ])
        try #require(seed.succeeded, "\(seed)")
        let big = String(repeating: "x", count: 2_000)
        let lines = (0..<2_000).map { i in
            var line = ImportLine(stream: "case-C-\(i % 9)")
            line.data = #"{"note":"\#(big)"}"#
            return line.text
        }
        let file = try scratch.write("big.ndjson", lines: lines)
        let binary = try VigilProcess.executable.get().path
        // dash's ulimit -f counts 512-byte blocks: 4 MiB.
        let result = try await VigilProcess.run(
            [
                "-c", "ulimit -f 8192; exec \"$0\" import --raw --data \"$1\" --batch 100 \"$2\"", binary, scratch.data,
                file,
            ],
            in: scratch.url, executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(!result.succeeded && result.signal == nil, "\(result)")
        #expect(
            result.stderrText.contains("storage failed: the process's file size limit was reached (EFBIG"), "\(result)")
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
    }

    /// Whether this machine lets an unprivileged process mount a small file system of its own
    /// (`unshare -r -m`), so a real full disk can be made without root.
    static let canMountPrivately: Bool =
        (try? SpawnedChild.run(executable: "/usr/bin/unshare", arguments: ["-r", "-m", "true"]))?.ending.succeeded
        ?? false

    @Test(
        "a real full disk is named as such; the batches before it stay and the store verifies",
        .enabled(if: canMountPrivately, "needs unshare -r -m to mount a 4 MiB tmpfs"))
    func diskFull() async throws {
        let scratch = try Scratch("disk-full")
        defer { scratch.remove() }
        let disk = scratch.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let big = String(repeating: "x", count: 2_000)
        let lines = (0..<3_000).map { i in
            var line = ImportLine(stream: "case-C-\(i % 9)")
            line.data = #"{"note":"\#(big)"}"#
            return line.text
        }
        let file = try scratch.write("big.ndjson", lines: lines)
        let binary = try VigilProcess.executable.get().path
        let script = """
            mount -t tmpfs -o size=4m tmpfs "$1" || exit 99
            "$0" import --raw --data "$1/data" --batch 100 "$2"; echo "import exit $?"
            "$0" verify --data "$1/data"; echo "verify exit $?"
            """
        let result = try await VigilProcess.run(
            ["-r", "-m", "/bin/sh", "-c", script, binary, disk, file], in: scratch.url,
            executable: URL(fileURLWithPath: "/usr/bin/unshare"))
        #expect(result.succeeded, "\(result)")
        #expect(result.stderrText.contains("storage failed: the disk is full (ENOSPC"), "\(result)")
        #expect(result.stderrText.contains("free space on the store's disk and retry"), "\(result)")
        #expect(result.stdoutText.contains("import exit 1\nok: "), "\(result)")
        #expect(result.stdoutText.hasSuffix("verify exit 0\n"), "\(result)")
    }
}
