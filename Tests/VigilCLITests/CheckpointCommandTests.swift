import ChildProcess
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `vigil checkpoint` and `vigil verify --key`, end to end on the built binary.
@Suite("Signed checkpoints from the command line")
struct CheckpointCommandTests {
    /// A store of `count` raw events, a county key pair in `keys/` (outside the store), and a
    /// checkpoint signing the head; returns the public key's path.
    func signedStore(_ scratch: Scratch, count: Int = 10) async throws -> String {
        let lines = (0..<count).map { ImportLine(stream: "case-C-\($0 % 3)", id: UUID()).text }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        try FileManager.default.createDirectory(atPath: scratch.path("keys"), withIntermediateDirectories: true)
        let made = try await scratch.vigil(["checkpoint", "new-key", scratch.path("keys/county.key")])
        try #require(made.succeeded, "\(made)")
        let signed = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("keys/county.key")])
        try #require(signed.succeeded, "\(signed)")
        #expect(
            signed.stdoutText.hasPrefix("checkpoint at position \(count + 1): signed position \(count) chain hash "),
            "\(signed)")
        return scratch.path("keys/county.key.pub")
    }

    @Test("sign, then verify --key proves the store the county's; nothing new is not signed twice")
    func signAndVerify() async throws {
        let scratch = try Scratch("checkpoint")
        defer { scratch.remove() }
        let pub = try await signedStore(scratch)
        var info = stat()
        #expect(stat(scratch.path("keys/county.key"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        let again = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("keys/county.key")])
        #expect(again.succeeded && again.stdoutText.contains("nothing new to sign"), "\(again)")
        let verify = try await scratch.vigil(["verify", "--key", pub])
        #expect(verify.succeeded, "\(verify)")
        #expect(
            verify.stdoutText.contains("signed: 1 checkpoint verifies with key ")
                && verify.stdoutText.contains("proves positions 1–10 are the county's"), "\(verify)")
        let json = try await scratch.vigil(["verify", "--json", "--key", pub])
        let checkpoints = try #require(try JSON.object(json.stdoutText)["checkpoints"] as? [String: Any])
        #expect(checkpoints["ok"] as? Bool == true && checkpoints["coveredThrough"] as? Int == 10, "\(json)")
        let list = try await scratch.vigil(["checkpoint", "list", "--key", pub])
        #expect(list.succeeded && list.stdoutText.contains("signs 10 ") && list.stdoutText.contains("  ok"), "\(list)")
    }

    @Test("a tampered record before a checkpoint: a rewritten copy whose chain is whole is named")
    func tamperedRecord() async throws {
        let scratch = try Scratch("checkpoint-tampered")
        defer { scratch.remove() }
        let pub = try await signedStore(scratch)
        // The forger rewrites position 5 and lets the store recompute every chain hash after it
        // (export lines without their hash): the copy's own chain verifies.
        var lines = try await scratch.export()
        lines[4]["data"] = ["status": "off-duty"]
        let forged = lines.map { line -> String in
            var line = line
            line["hash"] = nil
            return JSON.canonical(line)
        }
        let copy = scratch.path("forged")
        let imported = try await VigilProcess.run(
            ["import", "--raw", "--data", copy, try scratch.write("forged.ndjson", lines: forged)], in: scratch.url)
        try #require(imported.succeeded, "\(imported)")
        let plain = try await VigilProcess.run(["verify", "--data", copy], in: scratch.url)
        #expect(plain.succeeded, "the forged copy's chain is whole: \(plain)")
        let verify = try await VigilProcess.run(["verify", "--data", copy, "--key", pub], in: scratch.url)
        #expect(verify.status == 2, "\(verify)")
        #expect(
            verify.stdoutText.contains("position 11: checkpoint: the county signed chain hash ")
                && verify.stdoutText.contains("the log was altered at or before position 10"), "\(verify)")
    }

    @Test("a forged checkpoint (the county's key id, another key's signature) and a wrong key are each named")
    func forgedAndWrongKey() async throws {
        let scratch = try Scratch("checkpoint-forged")
        defer { scratch.remove() }
        let pub = try await signedStore(scratch)
        let countyId = try #require(try await scratch.export().last?["data"] as? [String: Any])["keyId"] as? String
        // Someone else's key signs the store: verify with the county's key names that key.
        let other = try await scratch.vigil(["checkpoint", "new-key", scratch.path("keys/other.key")])
        try #require(other.succeeded, "\(other)")
        let ours = try await scratch.vigil([
            "import", "--raw", try scratch.write("more.ndjson", lines: [ImportLine(stream: "s").text]),
        ])
        try #require(ours.succeeded, "\(ours)")
        let signedByOther = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("keys/other.key")])
        try #require(signedByOther.succeeded, "\(signedByOther)")
        let wrong = try await scratch.vigil(["verify", "--key", pub])
        #expect(wrong.status == 2, "\(wrong)")
        #expect(wrong.stdoutText.contains("position 13: checkpoint: signed by key "), "\(wrong)")
        #expect(wrong.stdoutText.contains("which is not a key given to check with (\(countyId ?? "?"))"), "\(wrong)")
        // The same checkpoint made to claim the county's key id: its signature does not verify.
        var lines = try await scratch.export()
        var data = try #require(lines[12]["data"] as? [String: Any])
        data["keyId"] = countyId
        lines[12]["data"] = data
        lines[12]["hash"] = nil
        let copy = scratch.path("forged")
        let imported = try await VigilProcess.run(
            [
                "import", "--raw", "--data", copy,
                try scratch.write("f.ndjson", lines: lines.map { JSON.canonical($0) }),
            ],
            in: scratch.url)
        try #require(imported.succeeded, "\(imported)")
        let forged = try await VigilProcess.run(["verify", "--data", copy, "--key", pub], in: scratch.url)
        #expect(forged.status == 2, "\(forged)")
        #expect(
            forged.stdoutText.contains(
                "position 13: checkpoint: its signature does not verify with key \(countyId ?? "?")"),
            "\(forged)")
        // The county's earlier checkpoint still verifies in both; the failure is only the forged one.
        #expect(!forged.stdoutText.contains("position 11:"), "\(forged)")
    }

    @Test("bad keys are refused by name and nothing is appended; a store without checkpoints is not proven")
    func refusals() async throws {
        let scratch = try Scratch("checkpoint-refusals")
        defer { scratch.remove() }
        let imported = try await scratch.vigil([
            "import", "--raw", try scratch.write("e.ndjson", lines: [ImportLine(stream: "s").text]),
        ])
        try #require(imported.succeeded, "\(imported)")
        let inside = try await scratch.vigil(["checkpoint", "new-key", scratch.data + "/county.key"])
        try #require(inside.succeeded, "\(inside)")
        let refusedInside = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.data + "/county.key"])
        #expect(
            !refusedInside.succeeded && refusedInside.stderrText.contains("is inside the data directory"),
            "\(refusedInside)")
        let made = try await scratch.vigil(["checkpoint", "new-key", scratch.path("county.key")])
        try #require(made.succeeded, "\(made)")
        chmod(scratch.path("county.key"), 0o640)
        let open = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("county.key")])
        #expect(
            !open.succeeded && open.stderrText.contains("--key: signing key file")
                && open.stderrText.contains("chmod 600"), "\(open)")
        let notAKey = try await scratch.vigil(["verify", "--key", try scratch.write("junk.pub", lines: ["hello"])])
        #expect(notAKey.status == 1 && notAKey.stderrText.contains("does not hold an Ed25519 public key"), "\(notAKey)")
        let privateAsPublic = try await scratch.vigil(["verify", "--key", scratch.path("county.key")])
        #expect(
            privateAsPublic.status == 1 && privateAsPublic.stderrText.contains("holds a private key"),
            "\(privateAsPublic)")
        #expect(try await scratch.eventCount() == 1, "nothing was appended")
        let unsigned = try await scratch.vigil(["verify", "--key", scratch.path("county.key.pub")])
        #expect(unsigned.status == 2 && unsigned.stdoutText.contains("no signed checkpoint"), "\(unsigned)")
    }

    @Test("a command-made log with checkpoints exports and imports through the domain's rules, and still verifies")
    func exportImportRoundTrip() async throws {
        let scratch = try Scratch("checkpoint-roundtrip")
        defer { scratch.remove() }
        let simulated = try await scratch.vigil(["simulate", "--days", "2", "--seed", "7"], timeout: .seconds(300))
        try #require(simulated.succeeded, "\(simulated)")
        try FileManager.default.createDirectory(atPath: scratch.path("keys"), withIntermediateDirectories: true)
        _ = try await scratch.vigil(["checkpoint", "new-key", scratch.path("keys/county.key")])
        let signed = try await scratch.vigil(["checkpoint", "sign", "--key", scratch.path("keys/county.key")])
        try #require(signed.succeeded, "\(signed)")
        let file = scratch.path("all.ndjson")
        _ = try await scratch.vigil(["export", file])
        let copy = scratch.path("copy")
        let imported = try await VigilProcess.run(
            ["import", "--data", copy, file], in: scratch.url, timeout: .seconds(300))
        #expect(imported.succeeded, "\(imported)")
        let verify = try await VigilProcess.run(
            ["verify", "--data", copy, "--key", scratch.path("keys/county.key.pub")], in: scratch.url)
        #expect(verify.succeeded, "\(verify)")
        // A checkpoint that signs another log is refused by the rules, at its field.
        var lines = try await scratch.exportLines()
        var last = try JSON.object(lines.removeLast())
        var data = try #require(last["data"] as? [String: Any])
        data["chainHash"] = String(repeating: "ab", count: 32)
        last["data"] = data
        last["hash"] = nil
        let bad = try scratch.write("bad.ndjson", lines: lines + [JSON.canonical(last)])
        let refused = try await VigilProcess.run(
            ["import", "--data", scratch.path("other"), bad], in: scratch.url, timeout: .seconds(300))
        #expect(!refused.succeeded && refused.stderrText.contains("/data/chainHash: checkpoint mismatch"), "\(refused)")
    }

    @Test(
        "OpenSSL's keys sign, and OpenSSL alone checks a checkpoint by docs/TRUST.md's recipe",
        .enabled(
            if: ["/usr/bin/openssl", "/usr/bin/xxd"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }))
    func openssl() async throws {
        let scratch = try Scratch("checkpoint-openssl")
        defer { scratch.remove() }
        let lines = (0..<5).map { _ in ImportLine(stream: "s", id: UUID()).text }
        _ = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        let key = scratch.path("county.key")
        let made = try await shell(
            "umask 077; openssl genpkey -algorithm ed25519 -out '\(key)' && openssl pkey -in '\(key)' -pubout -out '\(key).pub'",
            in: scratch)
        try #require(made.succeeded, "\(made.output)")
        let signed = try await scratch.vigil(["checkpoint", "sign", "--key", key])
        try #require(signed.succeeded, "\(signed)")
        let verify = try await scratch.vigil(["verify", "--key", key + ".pub"])
        #expect(verify.succeeded, "\(verify)")
        let checkpoint = try #require(try await scratch.export().last)
        let data = try #require(checkpoint["data"] as? [String: Any])
        let recipe = """
            pos=\(data["position"] as? Int ?? 0) hash=\(data["chainHash"] as? String ?? "")
            at=\(checkpoint["occurredAt"] as? String ?? "") sig='\(data["signature"] as? String ?? "")'
            frac=${at#*.}; frac=${frac%Z}; frac=$(printf '%-6s' "$frac" | tr ' ' 0)
            micros=$(( $(date -u -d "${at%%.*}Z" +%s) * 1000000 + 10#$frac ))
            { printf 'vigil checkpoint v1\\n'; printf '%016x%s%016x' "$pos" "$hash" "$micros" | xxd -r -p; } > statement.bin
            echo "$sig" | base64 -d > signature.bin
            openssl pkeyutl -verify -pubin -inkey '\(key).pub' -rawin -in statement.bin -sigfile signature.bin
            """
        let checked = try await shell(recipe, in: scratch)
        #expect(checked.succeeded && checked.output.contains("Signature Verified Successfully"), "\(checked.output)")
    }

    /// Runs `script` with bash in the scratch directory.
    private func shell(_ script: String, in scratch: Scratch) async throws -> (succeeded: Bool, output: String) {
        let (ending, output) = try SpawnedChild.run(
            executable: "/bin/bash", arguments: ["-euo", "pipefail", "-c", script], directory: scratch.url.path)
        return (ending.succeeded, "bash: \(ending)\n" + String(decoding: output, as: UTF8.self))
    }
}
