import EventStore
import FirstResponder
import Foundation
import LMDB
import Testing

@Suite("Personal-data vault")
struct PersonalDataVaultTests {
    @Test("details round-trip; updates keep the key and bump the version")
    func roundTrip() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(1)
            #expect(try vault.read(youthA) == .unknown)
            #expect(try vault.store(marisol, for: youthA, using: &rng) == 1)
            #expect(try vault.read(youthA) == .details(marisol))
            let wrappedKey = try rawVaultValue(environment, "youthKeys", youthA)

            var moved = marisol
            moved.phone = nil
            moved.notes = "Placed with relative."
            #expect(try vault.store(moved, for: youthA, using: &rng) == 2)
            #expect(try vault.read(youthA) == .details(moved))
            #expect(try rawVaultValue(environment, "youthKeys", youthA) == wrappedKey)
            #expect(try vault.read(youthB) == .unknown)
        }
    }

    @Test("data.mdb holds no plaintext of the details")
    func ciphertextOnDisk() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(2)
            try vault.store(marisol, for: youthA, using: &rng)
            try environment.sync()
            let bytes = try fileBytes(environment.directory + "/data.mdb")
            // The scan finds plaintext: the (pseudonymous) reference is a key, stored as is.
            #expect(containsBytes(bytes, Array(youthA.utf8)))
            for secret in ["Marisolquetzal", "Zyxwvutsrqova", "2010-04-17", "555-0147", "Estrellita", "givenName"] {
                #expect(!containsBytes(bytes, Array(secret.utf8)), "\(secret) is on disk in clear")
            }
        }
    }

    @Test("a wrong master key is named as such")
    func wrongMasterKey() throws {
        try withVault(masterKey: testMasterKey(1)) { vault, environment, _ in
            var rng = seededRNG(3)
            try vault.store(marisol, for: youthA, using: &rng)
            do {
                _ = try PersonalDataVault.open(environment: environment, masterKey: testMasterKey(2))
                Issue.record("opened with the wrong master key")
            } catch let error as VaultError {
                #expect(error.code == .wrongMasterKey)
                #expect(error.message.contains("master key does not match"))
                #expect(error.field == "masterKey")
            }
            let again = try PersonalDataVault.open(environment: environment, masterKey: testMasterKey(1))
            #expect(try again.read(youthA) == .details(marisol))
        }
    }

    @Test("sealing destroys key and details, leaves a tombstone, and refuses new details")
    func sealing() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(4)
            try vault.store(marisol, for: youthA, using: &rng)
            try vault.store(jordan, for: youthB, using: &rng)
            let at = Timestamp(seconds: 1_790_000_000)
            let outcome = try vault.seal(youthA, authorisedBy: "user:supervisor-3", legalBasis: .wic781, at: at)
            let info = SealInfo(youthRef: youthA, sealedAt: at, authorisedBy: "user:supervisor-3", legalBasis: .wic781)
            #expect(outcome == .sealed(info))
            #expect(try vault.read(youthA) == .sealed(info))
            #expect(try rawVaultValue(environment, "youthKeys", youthA) == nil)
            #expect(try rawVaultValue(environment, "youthDetails", youthA) == nil)
            #expect(try rawVaultValue(environment, "youthSeals", youthA) != nil)

            #expect(try vault.read(youthB) == .details(jordan))
            #expect(try rawVaultValue(environment, "youthKeys", youthB) != nil)

            do {
                try vault.store(marisol, for: youthA, using: &rng)
                Issue.record("stored details for a sealed youth")
            } catch let error as VaultError {
                #expect(error.code == .sealed)
                #expect(error.message.hasPrefix("record is sealed"))
            }
            #expect(try rawVaultValue(environment, "youthKeys", youthA) == nil)

            let later = try vault.seal(
                youthA, authorisedBy: "user:someone-else", legalBasis: .vacatur, at: at.adding(seconds: 60))
            #expect(later == .alreadySealed(info))
            #expect(later.info == info)
            #expect(try vault.read(youthA) == .sealed(info))
        }
    }

    @Test("sealing a youth the vault never held still leaves a tombstone")
    func sealingUnknown() throws {
        try withVault { vault, _, _ in
            let at = Timestamp(seconds: 1_790_000_000)
            let outcome = try vault.seal(youthB, authorisedBy: "user:judge-desk", legalBasis: .other, at: at)
            #expect(
                outcome
                    == .sealed(
                        SealInfo(youthRef: youthB, sealedAt: at, authorisedBy: "user:judge-desk", legalBasis: .other)))
            var rng = seededRNG(5)
            #expect(throws: VaultError.self) { try vault.store(jordan, for: youthB, using: &rng) }
            #expect(try vault.read(youthB) == .sealed(outcome.info))
        }
    }

    @Test("a compacted copy holds no residue of a sealed youth's key or details")
    func compactionPurgesResidue() throws {
        try withVault { vault, environment, dir in
            var rng = seededRNG(6)
            try vault.store(marisol, for: youthA, using: &rng)
            try vault.store(jordan, for: youthB, using: &rng)
            let wrapped = try #require(try rawVaultValue(environment, "youthKeys", youthA))
            let details = try #require(try rawVaultValue(environment, "youthDetails", youthA))
            try vault.seal(youthA, authorisedBy: "user:supervisor-3", legalBasis: .wic786, at: Timestamp(seconds: 1))

            let copy = dir + "/copy"
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: false)
            try environment.copy(to: copy, compact: true)
            let bytes = try fileBytes(copy + "/data.mdb")
            #expect(
                !containsBytes(bytes, Array(wrapped[13..<45])), "the sealed youth's wrapped key survived compaction")
            #expect(!containsBytes(bytes, Array(details[21..<(details.count - 16)])), "the sealed details survived")
            let other = try #require(try rawVaultValue(environment, "youthKeys", youthB))
            #expect(containsBytes(bytes, other), "the copy lost a live youth's key")
        }
    }

    @Test("a record moved under another youth's reference does not decrypt")
    func recordsAreBoundToTheirYouth() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(7)
            try vault.store(marisol, for: youthA, using: &rng)
            let key = try #require(try rawVaultValue(environment, "youthKeys", youthA))
            let details = try #require(try rawVaultValue(environment, "youthDetails", youthA))
            try environment.write { txn in
                try txn.put(txn.openDatabase("youthKeys"), key: Array(youthB.utf8), value: key)
                try txn.put(txn.openDatabase("youthDetails"), key: Array(youthB.utf8), value: details)
            }
            do {
                _ = try vault.read(youthB)
                Issue.record("read a record moved from another youth")
            } catch let error as VaultError {
                #expect(error.code == .corrupted)
                #expect(error.message.contains(youthB))
            }
        }
    }

    @Test("with a seeded generator, the stored bytes are the same every time")
    func deterministic() throws {
        func storedBytes(seed: UInt64) throws -> [[UInt8]?] {
            try withVault { vault, environment, _ in
                var rng = seededRNG(seed)
                try vault.store(marisol, for: youthA, using: &rng)
                try vault.store(jordan, for: youthB, using: &rng)
                try vault.store(jordan, for: youthA, using: &rng)
                return try [youthA, youthB].flatMap { ref in
                    try ["youthKeys", "youthDetails"].map { try rawVaultValue(environment, $0, ref) }
                }
            }
        }
        let first = try storedBytes(seed: 42)
        #expect(first.allSatisfy { $0 != nil })
        #expect(try storedBytes(seed: 42) == first)
        #expect(try storedBytes(seed: 43) != first)
    }

    @Test("bad input is refused before anything is written, naming the field")
    func refusesBadInput() throws {
        try withVault { vault, _, _ in
            var rng = seededRNG(8)
            for ref in ["Y-abc1234567", "X-1234567890", "Y-123456789", "Y-" + String(repeating: "A", count: 25), ""] {
                #expect(throws: VaultError.self) { try vault.store(marisol, for: ref, using: &rng) }
                do { try vault.store(marisol, for: ref, using: &rng) } catch let error as VaultError {
                    #expect(error.field == "youthRef")
                }
                do { _ = try vault.read(ref) } catch let error as VaultError { #expect(error.field == "youthRef") }
            }
            var bad = marisol
            bad.dateOfBirth = "2023-02-29"
            do { try vault.store(bad, for: youthA, using: &rng) } catch let error as VaultError {
                #expect(error.field == "dateOfBirth")
            }
            #expect(try vault.read(youthA) == .unknown)
            do {
                try vault.seal(youthA, authorisedBy: "Jane Smith", legalBasis: .wic781, at: Timestamp(seconds: 0))
                Issue.record("sealed with a person's name as authoriser")
            } catch let error as VaultError {
                #expect(error.field == "authorisedBy")
            }
            #expect(try vault.read(youthA) == .unknown)
        }
    }
}
