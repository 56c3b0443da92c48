import FirstResponder
import Foundation
import LMDB
import Testing

@Suite("Master key")
struct MasterKeyTests {
    @Test("generate writes a 0600 file of 64 hex digits that load reads back")
    func generateAndLoad() throws {
        let dir = VaultScratchDirectory()
        var rng = seededRNG(10)
        let path = dir.file("master.key")
        let generated = try MasterKey.generate(at: path, using: &rng)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        #expect(text.dropLast().allSatisfy { $0.isHexDigit })
        let loaded = try MasterKey.load(path: path)
        #expect(loaded.path == generated.path)

        // Both open the same vault: the key check recognises them as one key.
        let environment = try Environment.open(directory: dir.file("data"))
        var store = seededRNG(11)
        try PersonalDataVault.open(environment: environment, masterKey: generated).store(
            jordan, for: youthB, using: &store)
        #expect(
            try PersonalDataVault.open(environment: environment, masterKey: loaded).read(youthB) == .details(jordan))
        #expect(!"\(loaded)".contains(text.prefix(8)))
    }

    @Test("generate never overwrites a key file")
    func neverOverwrites() throws {
        let dir = VaultScratchDirectory()
        var rng = seededRNG(12)
        let path = dir.file("master.key")
        try MasterKey.generate(at: path, using: &rng)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        do {
            try MasterKey.generate(at: path, using: &rng)
            Issue.record("overwrote a master key")
        } catch {
            #expect(error.code == .keyFile && error.message.contains("already exists"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }

    @Test("load refuses a key file others can read, a malformed one, and a missing one")
    func refusesBadFiles() throws {
        let dir = VaultScratchDirectory()
        var rng = seededRNG(13)
        let open = dir.file("open.key")
        try MasterKey.generate(at: open, using: &rng)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        do {
            _ = try MasterKey.load(path: open)
            Issue.record("loaded a world-readable key")
        } catch {
            #expect(error.code == .keyFile && error.message.contains("chmod 600"))
        }

        let short = dir.file("short.key")
        _ = FileManager.default.createFile(
            atPath: short, contents: Data("abcdef\n".utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try MasterKey.load(path: short)
            Issue.record("loaded a short key")
        } catch {
            #expect(error.code == .keyFile && error.message.contains("64 hexadecimal digits"))
        }

        do {
            _ = try MasterKey.load(path: dir.file("absent.key"))
            Issue.record("loaded a missing key")
        } catch {
            #expect(error.code == .keyFile && error.message.contains("cannot be opened"))
        }
        #expect(throws: VaultError.self) { try MasterKey(bytes: [1, 2, 3]) }
    }

    @Test("the vault refuses a key file inside the data directory")
    func keyOutsideData() throws {
        let dir = VaultScratchDirectory()
        let environment = try Environment.open(directory: dir.file("data"))
        var rng = seededRNG(14)
        let key = try MasterKey.generate(at: environment.directory + "/master.key", using: &rng)
        do {
            _ = try PersonalDataVault.open(environment: environment, masterKey: key)
            Issue.record("opened with a key inside the data directory")
        } catch {
            #expect(error.code == .keyFile && error.message.contains("inside the data directory"))
        }
    }
}
