import Foundation
import Testing

/// Writes a backup key file (64 hexadecimal digits, mode 0600) at `path`.
private func writeBackupKey(_ path: String, byte: UInt8) throws {
    let hex = String(repeating: String(format: "%02x", byte), count: 32) + "\n"
    try Data(hex.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
}

/// The file's mode bits.
private func mode(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
}

@Suite("Encrypted backups and the token file in backups")
struct EncryptedBackupTests {
    /// A county with a youth's details in the vault and two tokens (one revoked).
    func county(_ scratch: Scratch) async throws -> (tokenIds: String, masterKey: String) {
        try await scratch.setupCounty()
        let masterKey = scratch.path("master.key")
        #expect(try await VigilProcess.run(["vault", "new-key", masterKey], in: scratch.url).succeeded)
        let stored = try await scratch.vigil(
            ["vault", "store", "--key-file", masterKey, "Y-SECRET0001"],
            stdin: Data(#"{"givenName":"Ana","familyName":"Example","dateOfBirth":"2011-02-03"}"#.utf8))
        try #require(stored.succeeded, "\(stored)")
        _ = try await makeToken(scratch, role: "dispatcher", name: "dispatcher-7")
        _ = try await makeToken(scratch, role: "auditor", name: "auditor-1")
        let listed = try await VigilProcess.run(["token", "list", "--json", "--data", scratch.data], in: scratch.url)
        try #require(listed.succeeded, "\(listed)")
        let first = try #require(try JSON.object(String(listed.stdoutText.split(separator: "\n")[0]))["id"] as? String)
        #expect(
            try await VigilProcess.run(["token", "revoke", first, "--data", scratch.data], in: scratch.url).succeeded)
        let tokens = try await VigilProcess.run(["token", "list", "--json", "--data", scratch.data], in: scratch.url)
        return (tokens.stdoutText, masterKey)
    }

    @Test(
        "backup --encrypt-key writes one AES-256-GCM file and leaves no plain copy; restore with the key gives the same store, vault and tokens"
    )
    func roundTrip() async throws {
        let scratch = try Scratch("encrypted-backup")
        defer { scratch.remove() }
        let (tokens, masterKey) = try await county(scratch)
        let key = scratch.path("backup.key")
        try writeBackupKey(key, byte: 0x5a)
        let archive = scratch.path("offsite/2026-03-14.vigil")
        try FileManager.default.createDirectory(atPath: scratch.path("offsite"), withIntermediateDirectories: true)
        let made = try await scratch.vigil(["backup", "--encrypt-key", key, archive])
        #expect(made.succeeded && made.stdoutText.contains("sealed with AES-256-GCM"), "\(made)")
        #expect(made.stdoutText.contains("the token file"), "\(made)")
        // One file, nothing of the county's in the clear; no plain copy left beside the data directory.
        let sealed = try Data(contentsOf: URL(fileURLWithPath: archive))
        let plain = try Data(contentsOf: URL(fileURLWithPath: scratch.data + "/data.mdb"))
        #expect(plain.range(of: Data("Antelope Valley".utf8)) != nil)
        #expect(sealed.range(of: Data("Antelope Valley".utf8)) == nil)
        #expect(sealed.range(of: Data("dispatcher-7".utf8)) == nil)
        #expect(sealed.prefix(8) == Data("VIGILBAK".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path("")).filter {
            $0.contains(".backup-") || $0.hasSuffix(".partial")
        }
        #expect(leftovers.isEmpty, "\(leftovers)")

        let target = scratch.path("restored")
        let restored = try await VigilProcess.run(
            ["restore", archive, "--data", target, "--encrypt-key", key], in: scratch.url, timeout: .seconds(300))
        #expect(restored.succeeded, "\(restored)")
        #expect(restored.stderrText.contains("every chunk authenticated"), "\(restored)")
        #expect(restored.stdoutText.contains("1 active tokens restored as of the backup"), "\(restored)")
        let original = try await scratch.vigil(["verify"])
        let copy = try await VigilProcess.run(["verify", "--data", target], in: scratch.url)
        #expect(copy.succeeded && copy.stdoutText == original.stdoutText, "\(copy)")
        let details = try await VigilProcess.run(
            ["vault", "show", "--data", target, "--key-file", masterKey, "Y-SECRET0001"], in: scratch.url)
        #expect(details.succeeded && details.stdoutText.contains(#""givenName":"Ana""#), "\(details)")
        // The same tokens, revocation included, as private as they were.
        let restoredTokens = try await VigilProcess.run(["token", "list", "--json", "--data", target], in: scratch.url)
        #expect(restoredTokens.stdoutText == tokens)
        #expect(try mode(target + "/tokens.json") == 0o600)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: scratch.path("")).filter {
            $0.hasSuffix(".decrypted") || $0.hasSuffix(".restoring")
        }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    @Test("a wrong key, no key, a tampered or a cut-short archive, and unusable keys are refused by name")
    func refusals() async throws {
        let scratch = try Scratch("encrypted-backup-refused")
        defer { scratch.remove() }
        _ = try await county(scratch)
        let key = scratch.path("backup.key")
        try writeBackupKey(key, byte: 0x5a)
        let archive = scratch.path("backup.vigil")
        try #require(try await scratch.vigil(["backup", "--encrypt-key", key, archive]).succeeded)
        let target = scratch.path("restored")
        func restore(_ source: String, _ extra: [String]) async throws -> VigilResult {
            try await VigilProcess.run(
                ["restore", source, "--data", target] + extra, in: scratch.url, timeout: .seconds(300))
        }
        let other = scratch.path("other.key")
        try writeBackupKey(other, byte: 0x11)
        let wrong = try await restore(archive, ["--encrypt-key", other])
        #expect(!wrong.succeeded && wrong.stderrText.contains("--encrypt-key"), "\(wrong)")
        #expect(wrong.stderrText.contains("was encrypted with backup key"), "\(wrong)")
        let none = try await restore(archive, [])
        #expect(!none.succeeded && none.stderrText.contains("give --encrypt-key FILE"), "\(none)")

        // One byte changed in the middle; the file cut short; a byte appended.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        let middle = bytes.count / 2
        var tampered = bytes
        tampered[middle] ^= 0x01
        try tampered.write(to: URL(fileURLWithPath: scratch.path("tampered.vigil")))
        let changed = try await restore(scratch.path("tampered.vigil"), ["--encrypt-key", key])
        #expect(!changed.succeeded && changed.stderrText.contains("damaged or was tampered with"), "\(changed)")
        try bytes.prefix(middle).write(to: URL(fileURLWithPath: scratch.path("cut.vigil")))
        let cut = try await restore(scratch.path("cut.vigil"), ["--encrypt-key", key])
        #expect(!cut.succeeded && cut.stderrText.contains("cut short"), "\(cut)")
        bytes.append(0)
        try bytes.write(to: URL(fileURLWithPath: scratch.path("longer.vigil")))
        let longer = try await restore(scratch.path("longer.vigil"), ["--encrypt-key", key])
        #expect(!longer.succeeded && longer.stderrText.contains("bytes follow the last chunk"), "\(longer)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing restored")

        // Keys that cannot be used, and an existing destination.
        let inside = scratch.data + "/backup.key"
        try writeBackupKey(inside, byte: 0x22)
        let open = scratch.path("open.key")
        try writeBackupKey(open, byte: 0x33)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        let short = scratch.path("short.key")
        try Data("abcd\n".utf8).write(to: URL(fileURLWithPath: short))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: short)
        for (keyFile, named) in [
            (inside, "inside the data directory"), (open, "chmod 600"), (short, "64 hexadecimal digits"),
            (key, "exists"),
        ] {
            let refused = try await scratch.vigil(["backup", "--encrypt-key", keyFile, archive])
            #expect(!refused.succeeded && refused.stderrText.contains(named), "\(keyFile): \(refused)")
        }
    }

    @Test("a plain backup carries the token file (its hashes, 0600) in its manifest, and restore brings it back")
    func tokensInPlainBackup() async throws {
        let scratch = try Scratch("backup-tokens")
        defer { scratch.remove() }
        let (tokens, _) = try await county(scratch)
        let backup = scratch.path("backup")
        try #require(try await scratch.vigil(["backup", backup]).succeeded)
        let manifest = try JSON.object(try String(contentsOfFile: backup + "/vigil-backup.json", encoding: .utf8))
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(files.contains { $0["path"] as? String == "tokens.json" }, "\(files)")
        #expect(try mode(backup + "/tokens.json") == 0o600)
        // A token file changed in the backup is refused by the manifest.
        let changed = scratch.path("changed")
        try FileManager.default.copyItem(atPath: backup, toPath: changed)
        try FileManager.default.removeItem(atPath: changed + "/tokens.json")
        try Data("[]\n".utf8).write(to: URL(fileURLWithPath: changed + "/tokens.json"))
        let refused = try await VigilProcess.run(
            ["restore", changed, "--data", scratch.path("refused")], in: scratch.url, timeout: .seconds(300))
        #expect(!refused.succeeded && refused.stderrText.contains("tokens.json is not the file the backup wrote"))
        let target = scratch.path("restored")
        let restored = try await VigilProcess.run(
            ["restore", backup, "--data", target], in: scratch.url, timeout: .seconds(300))
        #expect(restored.succeeded && restored.stdoutText.contains("revoke again any revoked since"), "\(restored)")
        let restoredTokens = try await VigilProcess.run(["token", "list", "--json", "--data", target], in: scratch.url)
        #expect(restoredTokens.stdoutText == tokens)
        #expect(try mode(target + "/tokens.json") == 0o600)
    }
}
