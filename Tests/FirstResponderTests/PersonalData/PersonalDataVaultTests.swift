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
            let wrappedKey = try rawVaultValue(vault, "youthKeys", youthA)

            var moved = marisol
            moved.phone = nil
            moved.notes = "Placed with relative."
            #expect(try vault.store(moved, for: youthA, using: &rng) == 2)
            #expect(try vault.read(youthA) == .details(moved))
            #expect(try rawVaultValue(vault, "youthKeys", youthA) == wrappedKey)
            #expect(try vault.read(youthB) == .unknown)
        }
    }

    @Test("data.mdb holds no plaintext of the details")
    func ciphertextOnDisk() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(2)
            try vault.store(marisol, for: youthA, using: &rng)
            let bytes = try filesUnder(environment.directory).flatMap { try fileBytes($0) }
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
            #expect(try rawVaultValue(vault, "youthKeys", youthA) == nil)
            #expect(try rawVaultValue(vault, "youthDetails", youthA) == nil)
            #expect(try rawVaultValue(vault, "youthSeals", youthA) != nil)

            #expect(try vault.read(youthB) == .details(jordan))
            #expect(try rawVaultValue(vault, "youthKeys", youthB) != nil)

            do {
                try vault.store(marisol, for: youthA, using: &rng)
                Issue.record("stored details for a sealed youth")
            } catch let error as VaultError {
                #expect(error.code == .sealed)
                #expect(error.message.hasPrefix("record is sealed"))
            }
            #expect(try rawVaultValue(vault, "youthKeys", youthA) == nil)

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

    @Test(
        "after sealing, no file holds the youth's wrapped key or ciphertext — with a reader held open across the seal"
    )
    func sealingLeavesNothing() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(6)
            // Enough youths for several pages, stored and updated, so freed pages hold old versions.
            let others = (0..<300).map { "Y-\(String(format: "%010d", $0))" }
            for ref in others { try vault.store(jordan, for: ref, using: &rng) }
            try vault.store(jordan, for: youthA, using: &rng)
            try vault.store(marisol, for: youthA, using: &rng)
            try vault.store(jordan, for: youthB, using: &rng)
            let wrapped = try #require(try rawVaultValue(vault, "youthKeys", youthA))
            let details = try #require(try rawVaultValue(vault, "youthDetails", youthA))
            let secrets = [wrapped, Array(wrapped[13..<45]), Array(details[21..<(details.count - 16)])]
            // The search finds them before the seal.
            for secret in secrets { #expect(try !filesContaining(secret, under: environment.directory).isEmpty) }

            // A reader holds a snapshot of the generation from before the seal until after it.
            let old = try vault.currentEnvironment
            let inside = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let reader = Thread {
                _ = try? old.read { txn -> Int in
                    inside.signal()
                    release.wait()
                    return txn.id
                }
            }
            reader.start()
            inside.wait()
            try vault.seal(youthA, authorisedBy: "user:supervisor-3", legalBasis: .wic786, at: Timestamp(seconds: 1))

            for secret in secrets {
                #expect(
                    try filesContaining(secret, under: environment.directory).isEmpty,
                    "residue while the reader is open")
            }
            release.signal()
            while !reader.isFinished { usleep(1_000) }
            for secret in secrets {
                #expect(try filesContaining(secret, under: environment.directory).isEmpty, "residue after the reader")
            }
            if case .sealed = try vault.read(youthA) {} else { Issue.record("youth A is not sealed") }
            #expect(try vault.read(youthB) == .details(jordan))
            #expect(try others.allSatisfy { try vault.read($0) == .details(jordan) })
            // A vault opened again (another process) reads the same.
            let again = try PersonalDataVault.open(environment: environment, masterKey: testMasterKey())
            #expect(try again.read(youthB) == .details(jordan))
            if case .sealed = try again.read(youthA) {} else { Issue.record("youth A is not sealed") }
        }
    }

    @Test("a record moved under another youth's reference does not decrypt")
    func recordsAreBoundToTheirYouth() throws {
        try withVault { vault, environment, _ in
            var rng = seededRNG(7)
            try vault.store(marisol, for: youthA, using: &rng)
            let key = try #require(try rawVaultValue(vault, "youthKeys", youthA))
            let details = try #require(try rawVaultValue(vault, "youthDetails", youthA))
            try vault.currentEnvironment.write { txn in
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
                    try ["youthKeys", "youthDetails"].map { try rawVaultValue(vault, $0, ref) }
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
