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

    @Test(
        "every file and directory vigil makes — store, vault, backups, exports, reports, key — is private whatever the umask",
        arguments: ["000", "077"])
    func modes(umask: String) async throws {
        let scratch = try Scratch("modes-\(umask)")
        defer { scratch.remove() }
        let youth = "Y-7K2M9Q4D1X"
        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-1""#
        let commands = try scratch.write(
            "c.ndjson",
            lines: [
                #"{"command":"report-recovery",\#(envelope),"caseId":"C-2026A00017","youthRef":"\#(youth)","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street"}"#,
                #"{"command":"close-case","occurredAt":"2026-04-14T02:05:00Z","actor":"user:lead-1","caseId":"C-2026A00017","outcome":"services-engaged"}"#,
            ])
        let seal = try scratch.write(
            "s.ndjson",
            lines: [
                #"{"command":"seal-record","occurredAt":"2026-06-01T10:00:00Z","actor":"user:clerk-2","caseId":"C-2026A00017","legalBasis":"WIC-781","authorisedBy":"user:judge-clerk-2"}"#
            ])
        let details = try scratch.write(
            "d.json", lines: [#"{"givenName":"Marisol","familyName":"Examplez","dateOfBirth":"2010-05-04"}"#])
        let binary = try VigilProcess.executable.get().path
        // Everything under out/ (parents included) and the key are made by vigil.
        let script = """
            umask \(umask)
            v=$0 out=$1/out key=$1/master.key
            "$v" vault new-key "$key" || exit 1
            "$v" setup county --data "$out/data" los-angeles >/dev/null || exit 2
            "$v" command --data "$out/data" "$2" || exit 2
            "$v" vault store --data "$out/data" --key-file "$key" \(youth) "$3" || exit 3
            "$v" vault store --data "$out/data" --key-file "$key" Y-0000000002 "$3" || exit 3
            "$v" command --data "$out/data" --key-file "$key" "$4" || exit 4
            "$v" backup --data "$out/data" "$out/backups/2026/compact" || exit 5
            "$v" backup --no-compact --data "$out/data" "$out/backups/2026/plain" || exit 6
            "$v" export --data "$out/data" "$out/exports/log.ndjson" 2>/dev/null && exit 7
            "$v" export --data "$out/data" "$out/log.ndjson" || exit 7
            "$v" report --data "$out/data" --from 2026-01-01 --to 2026-12-31 --format json --out "$out/report.json" || exit 8
            "$v" import --raw --data "$out/restored/data" "$out/log.ndjson" || exit 9
            "$v" verify --data "$out/backups/2026/plain" || exit 10
            """
        let result = try await VigilProcess.run(
            ["-c", script, binary, scratch.url.path, commands, details, seal], in: scratch.url,
            executable: URL(fileURLWithPath: "/bin/sh"))
        try #require(result.succeeded, "\(result)")

        func mode(_ path: String) throws -> Int {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(scratch.path("master.key")) == 0o600)
        let out = scratch.path("out")
        var seen: Set<String> = []
        let walker = try #require(FileManager.default.enumerator(atPath: out))
        var entries = [""]
        while let relative = walker.nextObject() as? String { entries.append(relative) }
        for relative in entries {
            let path = relative.isEmpty ? out : out + "/" + relative
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let want = isDirectory.boolValue ? 0o750 : 0o640
            let found = try mode(path)
            #expect(
                found == want,
                "umask \(umask): out/\(relative): \(String(found, radix: 8)), expected \(String(want, radix: 8))")
            seen.insert((relative as NSString).lastPathComponent)
        }
        // What the walk must have met (the vault's generations, its pointer, locks, backups, outputs).
        for name in [
            "data.mdb", "lock.mdb", "vigil.lock", "vault", "current", "g000000000002", "backups", "2026",
            "log.ndjson", "report.json", "restored",
        ] {
            #expect(seen.contains(name), "umask \(umask): nothing named \(name) was made")
        }
        #expect(!seen.contains("exports"), "a failed export makes no directory")
    }
}
