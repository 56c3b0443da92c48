import Foundation
import Testing

@Suite("Personal-data vault")
struct VaultTests {
    static let youth = "Y-7K2M9Q4D1X"
    static let details = Data(
        #"{"givenName":"Marisol","familyName":"Examplez","dateOfBirth":"2010-05-04","phone":"+1 213 555 0147"}"#.utf8)

    /// A store with a closed case of `youth`, a master key, and the youth's details in the vault.
    static func closedCase(_ label: String) async throws -> (Scratch, key: String) {
        let scratch = try Scratch(label)
        let key = scratch.path("master.key")
        let made = try await VigilProcess.run(["vault", "new-key", key], in: scratch.url)
        try #require(made.succeeded, "\(made)")
        try await scratch.setupCounty()
        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-1""#
        let setup = try await scratch.vigil([
            "command",
            try scratch.write(
                "c.ndjson",
                lines: [
                    #"{"command":"report-recovery",\#(envelope),"caseId":"C-2026A00017","youthRef":"\#(youth)","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street"}"#,
                    #"{"command":"close-case","occurredAt":"2026-04-14T02:05:00Z","actor":"user:lead-1","caseId":"C-2026A00017","outcome":"services-engaged"}"#,
                ]),
        ])
        try #require(setup.succeeded, "\(setup)")
        let stored = try await scratch.vigil(["vault", "store", "--key-file", key, youth], stdin: details)
        try #require(stored.succeeded, "\(stored)")
        return (scratch, key)
    }

    static let seal =
        #"{"command":"seal-record","occurredAt":"2026-06-01T10:00:00Z","actor":"user:clerk-2","caseId":"C-2026A00017","legalBasis":"WIC-781","authorisedBy":"user:judge-clerk-2"}"#

    @Test("details are stored encrypted, read back, and after seal-record read as sealed; the chain still verifies")
    func storeShowSeal() async throws {
        let (scratch, key) = try await Self.closedCase("vault")
        defer { scratch.remove() }
        let shown = try await scratch.vigil(["vault", "show", "--key-file", key, Self.youth])
        #expect(shown.succeeded && shown.stdoutText.contains(#""familyName":"Examplez""#), "\(shown)")
        for file in filesUnder(scratch.data) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data("Examplez".utf8)) == nil, "plaintext in \(file)")
        }
        let sealed = try await scratch.vigil([
            "command", "--key-file", key, try scratch.write("s.ndjson", lines: [Self.seal]),
        ])
        #expect(sealed.succeeded && sealed.stdoutText.contains("RecordSealed"), "\(sealed)")
        let after = try await scratch.vigil(["vault", "show", "--key-file", key, Self.youth])
        #expect(after.succeeded && after.stdoutText.hasPrefix("sealed: "), "\(after)")
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
        #expect(try await scratch.eventCount() > 0, "the case still counts")
        let wrongKey = scratch.path("other.key")
        _ = try await VigilProcess.run(["vault", "new-key", wrongKey], in: scratch.url)
        let refused = try await scratch.vigil(["vault", "show", "--key-file", wrongKey, Self.youth])
        #expect(!refused.succeeded && refused.stderrText.contains("--key-file"), "\(refused)")

        // A second seal-record appends no second RecordSealed.
        let again = try await scratch.vigil([
            "command", "--key-file", key,
            try scratch.write("s2.ndjson", lines: [Self.seal.replacingOccurrences(of: "WIC-781", with: "vacatur")]),
        ])
        #expect(!again.succeeded && again.stderrText.contains("is sealed already"), "\(again)")
        let events = try await scratch.export()
        #expect(events.filter { $0["type"] as? String == "RecordSealed" }.count == 1)
    }

    @Test("after seal-record no file of the store or of a backup holds the youth's wrapped key or ciphertext")
    func nothingLeftBehind() async throws {
        let (scratch, key) = try await Self.closedCase("vault-residue")
        defer { scratch.remove() }
        // Update the details a few times, so old versions sit in freed pages.
        for n in 0..<5 {
            let update = String(decoding: Self.details, as: UTF8.self).replacingOccurrences(of: "0147", with: "014\(n)")
            let stored = try await scratch.vigil(
                ["vault", "store", "--key-file", key, Self.youth], stdin: Data(update.utf8))
            try #require(stored.succeeded, "\(stored)")
        }
        let secrets = try Self.vaultRecords(scratch)
        try #require(!secrets.isEmpty)
        for secret in secrets {
            #expect(!filesContaining(secret, under: scratch.data).isEmpty, "the search must find it first")
        }
        let earlyBackup = try await scratch.vigil(["backup", "--no-compact", scratch.path("before")])
        #expect(
            earlyBackup.succeeded && earlyBackup.stdoutText.contains("and the personal-data vault"), "\(earlyBackup)")

        let sealed = try await scratch.vigil([
            "command", "--key-file", key, try scratch.write("s.ndjson", lines: [Self.seal]),
        ])
        try #require(sealed.succeeded, "\(sealed)")
        let backup = try await scratch.vigil(["backup", "--no-compact", scratch.path("after")])
        #expect(backup.succeeded, "\(backup)")
        for secret in secrets {
            #expect(filesContaining(secret, under: scratch.data).isEmpty, "the sealed youth's bytes are in the store")
            #expect(filesContaining(secret, under: scratch.path("after")).isEmpty, "… in a backup taken after")
        }
        // The backup taken before still holds them (and must be destroyed with the order).
        #expect(!filesContaining(secrets[0], under: scratch.path("before")).isEmpty)
        let restored = try await VigilProcess.run(
            ["vault", "show", "--data", scratch.path("after"), "--key-file", key, Self.youth], in: scratch.url)
        #expect(restored.succeeded && restored.stdoutText.hasPrefix("sealed: "), "\(restored)")
    }

    @Test(
        "a reader holding the vault open across seal-record keeps its snapshot, and no file under the data directory keeps the sealed youth's bytes, during or after"
    )
    func readerAcrossTheSeal() async throws {
        let (scratch, key) = try await Self.closedCase("vault-reader")
        defer { scratch.remove() }
        let secrets = try Self.vaultRecords(scratch)
        try #require(!secrets.isEmpty)
        for secret in secrets {
            #expect(!filesContaining(secret, under: scratch.data).isEmpty, "the search must find it first")
        }
        let generation = try Self.currentGeneration(scratch)
        let reader = try HeldReader(directory: generation, database: "youthKeys", key: Array(Self.youth.utf8))
        #expect(reader.valueAtStart.map { Data($0) } == secrets.first, "the reader reads the wrapped key")

        let sealed = try await scratch.vigil([
            "command", "--key-file", key, try scratch.write("s.ndjson", lines: [Self.seal]),
        ])
        try #require(sealed.succeeded, "\(sealed)")
        for secret in secrets {
            #expect(filesContaining(secret, under: scratch.data).isEmpty, "residue while the reader is open")
        }
        #expect(try Self.currentGeneration(scratch) != generation, "the seal published a new generation")
        // The reader goes on in its snapshot: the old files are unlinked, not overwritten under it.
        let stillRead = try reader.finish()
        #expect(stillRead.map { Data($0) } == secrets.first, "the reader's snapshot is intact")
        for secret in secrets {
            #expect(filesContaining(secret, under: scratch.data).isEmpty, "residue after the reader finished")
        }
        let after = try await scratch.vigil(["vault", "show", "--key-file", key, Self.youth])
        #expect(after.succeeded && after.stdoutText.hasPrefix("sealed: "), "\(after)")
        let verify = try await scratch.vigil(["verify", "--deep"])
        #expect(verify.succeeded, "\(verify)")
    }

    @Test(
        "vault verify opens every record with the key and names one whose ciphertext changed; verify sees only layout")
    func verifyWithTheKey() async throws {
        let (scratch, key) = try await Self.closedCase("vault-verify")
        defer { scratch.remove() }
        let ok = try await scratch.vigil(["vault", "verify", "--key-file", key])
        #expect(ok.succeeded && ok.stdoutText.hasPrefix("ok: the details of 1 youths open"), "\(ok)")
        // One byte inside the details' ciphertext, in every copy of the record.
        let details = try Self.vaultRecords(scratch)[2]
        let path = try Self.currentGeneration(scratch) + "/data.mdb"
        var file = try DataFilePages(path: path)
        var from = file.bytes.startIndex
        while let range = file.bytes.range(of: details, in: from..<file.bytes.endIndex) {
            file.bytes[range.lowerBound + 25] ^= 0x01
            from = range.upperBound
        }
        try file.write(to: path)
        let layout = try await scratch.vigil(["verify"])
        #expect(layout.succeeded, "the layout is intact: \(layout)")
        let found = try await scratch.vigil(["vault", "verify", "--key-file", key])
        #expect(found.status == 2 && found.signal == nil, "\(found)")
        #expect(
            found.stdoutText.contains("the vault record of \(Self.youth) is damaged: its details do not authenticate"),
            "\(found)")
        #expect(found.stdoutText.contains("restore the latest backup (vigil backup)"), "\(found)")
        #expect(!found.stdoutText.contains("Examplez"))
    }

    @Test("names and dates of birth are never taken on the command line; a bad details file names the field")
    func detailsNotOnTheCommandLine() async throws {
        let (scratch, key) = try await Self.closedCase("vault-input")
        defer { scratch.remove() }
        let old = try await scratch.vigil([
            "vault", "store", "--key-file", key, Self.youth, "--given-name", "Marisol", "--family-name", "Examplez",
            "--date-of-birth", "2010-05-04",
        ])
        #expect(!old.succeeded && old.signal == nil, "\(old)")
        #expect(old.stderrText.contains("--given-name: a youth's details are not taken on the command line"), "\(old)")
        let file = scratch.path("d.json")
        try Data(#"{"givenName":"Jo","familyName":"Q","dateOfBirth":"2010-05-04","nickname":"x"}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        let unknown = try await scratch.vigil(["vault", "store", "--key-file", key, Self.youth, file])
        #expect(!unknown.succeeded && unknown.stderrText.contains("/nickname: unknown field"), "\(unknown)")
        let bad = try await scratch.vigil(
            ["vault", "store", "--key-file", key, Self.youth],
            stdin: Data(#"{"givenName":"Jo","familyName":"Q","dateOfBirth":"2010-02-30"}"#.utf8))
        #expect(!bad.succeeded && bad.stderrText.contains("dateOfBirth"), "\(bad)")
        let fromFile = try await scratch.vigil([
            "vault", "store", "--key-file", key, Self.youth, scratch.path("ok.json"),
        ])
        #expect(!fromFile.succeeded && fromFile.stderrText.contains("cannot read"), "\(fromFile)")
    }

    /// The directory of the vault's current generation.
    static func currentGeneration(_ scratch: Scratch) throws -> String {
        let current = try String(contentsOfFile: scratch.data + "/vault/current", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return scratch.data + "/vault/" + current
    }

    /// The sealed youth's wrapped key and encrypted details, read from the vault's current data file.
    static func vaultRecords(_ scratch: Scratch) throws -> [Data] {
        let pages = try DataFilePages(path: try currentGeneration(scratch) + "/data.mdb")
        var found: [Data] = []
        for name in ["youthKeys", "youthDetails"] {
            guard let (root, _) = pages.database(name) else { continue }
            for node in pages.nodes(root).nodes where node.key == Data(youth.utf8) {
                found.append(node.data)
                found.append(node.data.dropFirst(13).prefix(32))  // the encrypted part alone
            }
        }
        return found
    }
}

/// Every regular file under `directory`, recursively.
func filesUnder(_ directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var out: [String] = []
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = directory + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            out.append(path)
        }
    }
    return out
}

/// The files under `directory` whose bytes contain `needle`.
func filesContaining(_ needle: Data, under directory: String) -> [String] {
    filesUnder(directory).filter { (try? Data(contentsOf: URL(fileURLWithPath: $0)))?.range(of: needle) != nil }
}
