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

    @Test("a backup cut short is marked incomplete and refused; a retry into the same directory completes it")
    func interrupted() async throws {
        let scratch = try Scratch("backup-interrupted")
        defer { scratch.remove() }
        let lines = (0..<3_000).map { ImportLine(stream: "case-C-\($0 % 11)", id: UUID()).text }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        // What a backup killed during its copy leaves: the marker and part of data.mdb.
        let target = scratch.path("cut")
        let first = try await scratch.vigil(["backup", target])
        try #require(first.succeeded, "\(first)")
        let copied = try Data(contentsOf: URL(fileURLWithPath: target + "/data.mdb"))
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try copied.prefix(copied.count / 2).write(to: URL(fileURLWithPath: target + "/data.mdb"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: target + "/vigil.backup-incomplete"))
        for command in [
            ["verify", "--data", target], ["log", "stat", "--data", target], ["export", "--data", target, "-"],
        ] {
            let refused = try await VigilProcess.run(command, in: scratch.url)
            #expect(!refused.succeeded && refused.signal == nil, "\(refused)")
            #expect(
                (refused.stdoutText + refused.stderrText).contains("is a backup that did not complete"), "\(refused)")
        }
        let retry = try await scratch.vigil(["backup", target])
        #expect(retry.succeeded && retry.stdoutText.contains("backup of 3000 events"), "\(retry)")
        #expect(!FileManager.default.fileExists(atPath: target + "/vigil.backup-incomplete"))
        let verify = try await VigilProcess.run(["verify", "--data", target], in: scratch.url)
        #expect(verify.succeeded, "\(verify)")

        // A backup killed at a random moment leaves either a complete, verifying copy or a marked one
        // that a retry completes: never an unmarked partial copy.
        var rng = SplitMix64(seed: UInt64.random(in: 1...UInt64.max))
        for round in 0..<4 {
            let dir = scratch.path("killed-\(round)")
            let backup = try scratch.start(["backup", dir])
            backup.kill(after: .milliseconds(Int(rng.next() % 60)))
            let ended = await backup.wait()
            let marked = FileManager.default.fileExists(atPath: dir + "/vigil.backup-incomplete")
            let check = try await VigilProcess.run(["verify", "--data", dir], in: scratch.url)
            if ended.succeeded || !marked && FileManager.default.fileExists(atPath: dir + "/data.mdb") {
                #expect(check.succeeded, "round \(round): \(ended)\n\(check)")
            } else if marked {
                #expect(!check.succeeded && check.signal == nil, "round \(round): \(check)")
            }
            let again = try await scratch.vigil(["backup", dir])
            #expect(again.succeeded || !marked && again.stderrText.contains("is not empty"), "round \(round): \(again)")
        }
    }

    @Test("the store, its backups, exports and key files are private whatever the umask")
    func modes() async throws {
        let scratch = try Scratch("modes")
        defer { scratch.remove() }
        let events = try scratch.write("e.ndjson", lines: (0..<20).map { ImportLine(stream: "case-C-\($0 % 3)").text })
        let binary = try VigilProcess.executable.get().path
        let script = """
            umask 000
            "$0" import --raw --data "$1/data" "$2" || exit 1
            "$0" backup --data "$1/data" "$1/backups/one" || exit 2
            "$0" export --data "$1/data" "$1/export.ndjson" || exit 3
            "$0" vault new-key "$1/master.key" || exit 4
            """
        let result = try await VigilProcess.run(
            ["-c", script, binary, scratch.url.path, events], in: scratch.url,
            executable: URL(fileURLWithPath: "/bin/sh"))
        try #require(result.succeeded, "\(result)")
        func mode(_ path: String) throws -> Int {
            let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path(path))
            return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        let expected: [(String, Int)] = [
            ("data", 0o750), ("data/data.mdb", 0o640), ("data/lock.mdb", 0o640), ("data/vigil.lock", 0o640),
            ("backups/one", 0o750), ("backups/one/data.mdb", 0o640), ("export.ndjson", 0o640), ("master.key", 0o600),
        ]
        for (path, want) in expected {
            let found = try mode(path)
            #expect(found == want, "\(path): \(String(found, radix: 8)), expected \(String(want, radix: 8))")
        }
    }
}
