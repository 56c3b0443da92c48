import Foundation
import Testing

/// `vigil backup`'s manifest and `vigil restore`, end to end on the built binary.
@Suite("Backup and restore from the command line")
struct RestoreTests {
    /// A simulated county with its views stored, backed up into `backup/`.
    func backedUpCounty(_ scratch: Scratch) async throws -> [String: Any] {
        let simulated = try await scratch.vigil(["simulate", "--days", "3", "--seed", "11"], timeout: .seconds(300))
        try #require(simulated.succeeded, "\(simulated)")
        let views = try await scratch.vigil(["views", "update"])
        try #require(views.succeeded, "\(views)")
        // A youth's details in the personal-data vault travel with the backup.
        let key = try await VigilProcess.run(["vault", "new-key", scratch.path("master.key")], in: scratch.url)
        try #require(key.succeeded, "\(key)")
        let stored = try await scratch.vigil(
            ["vault", "store", "--key-file", scratch.path("master.key"), "Y-RESTORE0001"],
            stdin: Data(#"{"givenName":"Ana","familyName":"Example","dateOfBirth":"2011-02-03"}"#.utf8))
        try #require(stored.succeeded, "\(stored)")
        let backup = try await scratch.vigil(["backup", scratch.path("backup")])
        try #require(backup.succeeded, "\(backup)")
        let text = try String(contentsOfFile: scratch.path("backup/vigil-backup.json"), encoding: .utf8)
        return try JSON.object(text)
    }

    func restore(_ scratch: Scratch, _ arguments: [String]) async throws -> VigilResult {
        try await VigilProcess.run(["restore"] + arguments, in: scratch.url, timeout: .seconds(300))
    }

    @Test(
        "backup writes a manifest; restore verifies, rebuilds the views equal to the backup's, and keeps the provenance"
    )
    func roundTrip() async throws {
        let scratch = try Scratch("restore")
        defer { scratch.remove() }
        let manifest = try await backedUpCounty(scratch)
        let stat = try await scratch.stat()
        let head = try #require(manifest["head"] as? [String: Any])
        #expect(head["position"] as? Int == stat["events"] as? Int, "\(manifest)")
        #expect(manifest["events"] as? Int == stat["events"] as? Int && manifest["format"] as? Int == 1)
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(
            files.map { $0["path"] as? String } == ["data.mdb", "vault/current", "vault/g000000000001/data.mdb"],
            "\(files)")
        #expect((manifest["source"] as? String)?.hasPrefix("/") == true, "an absolute path: \(manifest)")

        let target = scratch.path("restored")
        let restored = try await restore(scratch, [scratch.path("backup"), "--data", target])
        #expect(restored.succeeded, "\(restored)")
        #expect(restored.stdoutText.contains("verified; 4 views rebuilt (4 equal to the backup's)"), "\(restored)")
        let provenance = try JSON.object(try String(contentsOfFile: target + "/restored-from.json", encoding: .utf8))
        #expect(JSON.canonical(provenance["head"]) == JSON.canonical(manifest["head"]))
        let original = try await scratch.vigil(["verify"])
        let copy = try await VigilProcess.run(["verify", "--data", target], in: scratch.url)
        #expect(copy.succeeded && copy.stdoutText == original.stdoutText, "\(copy)")
        let details = try await VigilProcess.run(
            ["vault", "show", "--data", target, "--key-file", scratch.path("master.key"), "Y-RESTORE0001"],
            in: scratch.url)
        #expect(details.succeeded && details.stdoutText.contains(#""givenName":"Ana""#), "\(details)")
        // The views read the same from the restored store.
        for view in ["recoveries", "case-board"] {
            let a = try await scratch.vigil(["views", "show", view, "--json", "--no-update"])
            let b = try await VigilProcess.run(
                ["views", "show", view, "--data", target, "--json", "--no-update"], in: scratch.url)
            #expect(a.succeeded && b.succeeded && a.stdoutText == b.stdoutText, "\(view): \(b)")
        }
    }

    @Test("a non-empty target is refused unless --replace, which keeps its old contents aside")
    func replace() async throws {
        let scratch = try Scratch("restore-replace")
        defer { scratch.remove() }
        _ = try await backedUpCounty(scratch)
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.data).sorted()
        let refused = try await restore(scratch, [scratch.path("backup"), "--data", scratch.data])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrText.contains("is not empty") && refused.stderrText.contains("--replace"), "\(refused)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.data).sorted() == before)
        let replaced = try await restore(scratch, [scratch.path("backup"), "--data", scratch.data, "--replace"])
        #expect(replaced.succeeded, "\(replaced)")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)
        let aside = try #require(siblings.first { $0.hasPrefix("data.replaced-") }, "\(siblings)")
        #expect(replaced.stdoutText.contains(aside), "\(replaced)")
        #expect(FileManager.default.fileExists(atPath: scratch.path(aside) + "/data.mdb"))
        #expect(!siblings.contains { $0.hasSuffix(".restoring") }, "no staging directory is left: \(siblings)")
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
    }

    @Test("a damaged, changed, incomplete or manifest-less backup is refused by name; the target is left as it was")
    func refusals() async throws {
        let scratch = try Scratch("restore-refusals")
        defer { scratch.remove() }
        _ = try await backedUpCounty(scratch)
        let backup = scratch.path("backup")
        let target = scratch.path("restored")
        func refused(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let result = try await restore(scratch, [backup, "--data", target])
            #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
            #expect(
                result.stderrText.contains("nothing was restored into \(target)")
                    && result.stderrText.contains(expected), "\(result)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: target), sourceLocation: sourceLocation)
            let siblings = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)
            #expect(!siblings.contains { $0.hasSuffix(".restoring") }, "\(siblings)", sourceLocation: sourceLocation)
        }
        // One bit flipped on the backup disk, deep inside the data file.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: backup + "/data.mdb"))
        try handle.seek(toOffset: 20_000)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 20_000)
        try handle.write(contentsOf: [byte ^ 0x01])
        try await refused("\(backup)/data.mdb is not the file the backup wrote")
        try handle.seek(toOffset: 20_000)
        try handle.write(contentsOf: [byte])
        try handle.close()
        // A file slipped in after the backup was made.
        try Data("x".utf8).write(to: URL(fileURLWithPath: backup + "/extra.mdb"))
        try await refused("\(backup)/extra.mdb is not listed in the manifest")
        try FileManager.default.removeItem(atPath: backup + "/extra.mdb")
        // Marked incomplete.
        try Data("x".utf8).write(to: URL(fileURLWithPath: backup + "/vigil.backup-incomplete"))
        try await refused("is a backup that did not complete")
        try FileManager.default.removeItem(atPath: backup + "/vigil.backup-incomplete")
        // No manifest.
        try FileManager.default.moveItem(atPath: backup + "/vigil-backup.json", toPath: scratch.path("m.json"))
        try await refused("has no vigil-backup.json")
        try FileManager.default.moveItem(atPath: scratch.path("m.json"), toPath: backup + "/vigil-backup.json")
        let fine = try await restore(scratch, [backup, "--data", target])
        #expect(fine.succeeded, "\(fine)")
    }

    @Test("restore --key proves the backup's checkpoints; a store in use is not replaced")
    func checkpointsAndInUse() async throws {
        let scratch = try Scratch("restore-key")
        defer { scratch.remove() }
        let lines = (0..<50).map { ImportLine(stream: "case-C-\($0 % 5)", id: UUID()).text }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        _ = try await scratch.vigil(["checkpoint", "new-key", scratch.path("county.key")])
        let signed = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("county.key")])
        try #require(signed.succeeded, "\(signed)")
        let backup = try await scratch.vigil(["backup", scratch.path("backup")])
        try #require(backup.succeeded, "\(backup)")
        let target = scratch.path("restored")
        let restored = try await restore(
            scratch, [scratch.path("backup"), "--data", target, "--key", scratch.path("county.key.pub")])
        #expect(restored.succeeded, "\(restored)")
        #expect(restored.stdoutText.contains("1 checkpoint verifies, signed through position 50"), "\(restored)")
        _ = try await scratch.vigil(["checkpoint", "new-key", scratch.path("other.key")])
        let wrongKey = try await restore(
            scratch, [scratch.path("backup"), "--data", scratch.path("r2"), "--key", scratch.path("other.key.pub")])
        #expect(wrongKey.status == 1 && wrongKey.stderrText.contains("do not check out"), "\(wrongKey)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("r2")))
        // A reader holds the restored store open: replacing it is refused, and it stays as it was.
        let follower = try VigilProcess(["log", "tail", "--follow", "--data", target], in: scratch.url)
        defer { follower.kill() }
        try await Task.sleep(for: .milliseconds(500))
        let inUse = try await restore(scratch, [scratch.path("backup"), "--data", target, "--replace"])
        #expect(inUse.status == 1 && inUse.stderrText.contains("cannot be replaced while it is in use"), "\(inUse)")
        #expect(FileManager.default.fileExists(atPath: target + "/restored-from.json"))
    }

    @Test("a backup taken under write load holds every event acknowledged before it began; it restores and verifies")
    func underLoad() async throws {
        let scratch = try Scratch("restore-load")
        defer { scratch.remove() }
        let seed = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s-0").text]),
        ])
        try #require(seed.succeeded, "\(seed)")
        let lines = (0..<30_000).map { ImportLine(stream: "case-C-\($0 % 50)", id: UUID()).text }
        let writer = try scratch.start([
            "import", "--raw", "--ack", "--batch", "50", try scratch.write("many.ndjson", lines: lines),
        ])
        defer { writer.kill() }
        // Wait until the writer has acknowledged some events, then note every one acknowledged so far.
        var acknowledged: [String] = []
        for _ in 0..<600 where acknowledged.count < 500 {
            try await Task.sleep(for: .milliseconds(50))
            acknowledged = VigilResult.completeLines(writer.stdoutSoFar)
        }
        try #require(acknowledged.count >= 500, "the writer acknowledged \(acknowledged.count) events")
        let backup = try await scratch.vigil(["backup", scratch.path("backup")], timeout: .seconds(300))
        #expect(backup.succeeded, "\(backup)")
        let stillWriting = VigilResult.completeLines(writer.stdoutSoFar).count < lines.count
        let target = scratch.path("restored")
        let restored = try await VigilProcess.run(
            ["restore", scratch.path("backup"), "--data", target], in: scratch.url, timeout: .seconds(300))
        #expect(restored.succeeded, "\(restored)")
        let exported = try await VigilProcess.run(
            ["export", "--data", target, "-"], in: scratch.url, timeout: .seconds(120))
        try #require(exported.succeeded, "\(exported)")
        let restoredIds = Set(
            try exported.stdoutText.split(separator: "\n").map { try JSON.object($0)["id"] as? String ?? "" })
        let missing = try acknowledged.filter { !restoredIds.contains(try JSON.object($0)["id"] as? String ?? "?") }
        #expect(missing.isEmpty, "\(missing.count) acknowledged events are missing, the first \(missing.first ?? "")")
        #expect(restoredIds.count > acknowledged.count || !stillWriting, "the copy is a snapshot taken later")
        let verify = try await VigilProcess.run(["verify", "--data", target], in: scratch.url)
        #expect(verify.succeeded, "\(verify)")
        _ = await writer.wait(timeout: .seconds(300))
    }
}
