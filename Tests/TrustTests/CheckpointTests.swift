import Crypto
import EventStore
import FirstResponder
import Foundation
import Testing
import Trust
import VigilEngine

@Suite("Signed checkpoints")
struct CheckpointTests {
    let now = Timestamp(seconds: 1_773_460_000)

    /// A store of 10 notes, a checkpoint signing position 10 (at 11), and 4 more notes.
    func signedStore(_ dir: TrustScratch, key: CheckpointSigningKey) async throws -> Engine {
        let engine = try Engine.open(directory: dir.sub("data"))
        try await appendNotes(engine.store, 1, 10)
        let outcome = try await CheckpointSigner.sign(engine.store, key: key, now: now)
        guard case .signed(let position, let statement, let keyId) = outcome else {
            Issue.record("expected a checkpoint, got \(outcome)")
            return engine
        }
        #expect(position == 11)
        #expect(statement.position == 10)
        #expect(keyId == key.publicKey.id)
        try await appendNotes(engine.store, 11, 4)
        return engine
    }

    @Test("a signed store verifies with the county's key, up to its last checkpoint")
    func verifies() async throws {
        let dir = try TrustScratch()
        let key = try dir.key()
        let engine = try await signedStore(dir, key: key)
        defer { engine.close() }
        let report = try CheckpointVerifier(keys: [key.publicKey]).audit(engine.store, through: 15)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.signed.count == 1)
        #expect(report.coveredThrough == 10)
        #expect(report.uncovered == 4, "positions 12–15; the checkpoint at 11 is signed itself")
        // The key file round trip gives the same public key.
        #expect(try CheckpointPublicKey.load(path: dir.sub("county.pub")) == key.publicKey)
    }

    @Test("signing again with nothing new appends nothing; an empty log has nothing to sign")
    func nothingNew() async throws {
        let dir = try TrustScratch()
        let key = try dir.key()
        let engine = try Engine.open(directory: dir.sub("data"))
        defer { engine.close() }
        guard case .emptyLog = try await CheckpointSigner.sign(engine.store, key: key, now: now) else {
            Issue.record("an empty log was signed")
            return
        }
        try await appendNotes(engine.store, 1, 2)
        _ = try await CheckpointSigner.sign(engine.store, key: key, now: now)
        guard case .upToDate(let position) = try await CheckpointSigner.sign(engine.store, key: key, now: now) else {
            Issue.record("a checkpoint signed a checkpoint")
            return
        }
        #expect(position == 3)
        #expect(try engine.store.head().position == 3)
    }

    @Test("tampered record before a checkpoint: a copy altered at position 5 with its chain recomputed is caught")
    func tamperedRecordBeforeCheckpoint() async throws {
        let dir = try TrustScratch()
        let key = try dir.key()
        let original = try await signedStore(dir, key: key)
        let events = try original.store.read(from: 1, limit: 100)
        original.close()
        // Rewrite the log with position 5's payload changed and every hash recomputed: the chain of
        // the copy is whole, only the signature can tell.
        let forged = try Engine.open(directory: dir.sub("forged"))
        defer { forged.close() }
        let rewritten = events.map { event -> NewEvent in
            var e = NewEvent(
                id: event.id, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion,
                occurredAt: event.occurredAt, actor: event.actor, correlationId: event.correlationId,
                causationId: event.causationId, metadata: event.metadata,
                payload: event.position == 5 ? Array(#"{"n":500}"#.utf8) : event.payload,
                payloadEncoding: event.payloadEncoding)
            e.restore = NewEvent.Restore(position: event.position, recordedAt: event.recordedAt, hash: nil)
            return e
        }
        _ = try await forged.store.restore(rewritten)
        #expect(try forged.store.verify().isValid, "the forger's chain is whole")
        let report = try CheckpointVerifier(keys: [key.publicKey]).audit(forged.store, through: 15)
        #expect(!report.isValid)
        let failure = try #require(report.failures.first)
        #expect(failure.position == 11)
        #expect(failure.message.contains("the log was altered at or before position 10"), "\(failure)")
    }

    @Test("forged checkpoint: a signature by another key under the county's key id, or altered, does not verify")
    func forgedCheckpoint() async throws {
        let dir = try TrustScratch()
        let county = try dir.key()
        let forger = Curve25519.Signing.PrivateKey()
        let engine = try await signedStore(dir, key: county)
        defer { engine.close() }
        // The forger signs the head (position 15) with their own key, and claims the county's key id.
        let head = try engine.store.head()
        let statement = CheckpointStatement(position: head.position, chainHash: head.hash, signedAt: now)
        let signature = try forger.signature(for: statement.bytes)
        let fake = CheckpointSigned(
            position: Int(head.position), chainHash: head.hashHex, algorithm: .ed25519, keyId: county.publicKey.id,
            signature: Data(signature).base64EncodedString())
        _ = try await engine.store.append(AppendRequest(events: [fake.newEvent(occurredAt: now, actor: "user:forger")]))
        let report = try CheckpointVerifier(keys: [county.publicKey]).audit(engine.store, through: 16)
        #expect(!report.isValid)
        #expect(report.signed.map(\.checkpoint) == [11])
        let failure = try #require(report.failures.first)
        #expect(failure.position == 16)
        #expect(failure.message.contains("signature does not verify with key \(county.publicKey.id)"), "\(failure)")
    }

    @Test("wrong key: checkpoints signed by the county do not verify with another public key")
    func wrongKey() async throws {
        let dir = try TrustScratch()
        let county = try dir.key()
        let other = try dir.key("other")
        let engine = try await signedStore(dir, key: county)
        defer { engine.close() }
        let report = try CheckpointVerifier(keys: [other.publicKey]).audit(engine.store, through: 15)
        #expect(!report.isValid)
        let failure = try #require(report.failures.first)
        #expect(failure.position == 11)
        #expect(
            failure.message.contains("signed by key \(county.publicKey.id), which is not a key given"), "\(failure)")
    }

    @Test("a store without checkpoints is not proven")
    func noCheckpoint() async throws {
        let dir = try TrustScratch()
        let key = try dir.key()
        let engine = try Engine.open(directory: dir.sub("data"))
        defer { engine.close() }
        try await appendNotes(engine.store, 1, 3)
        let report = try CheckpointVerifier(keys: [key.publicKey]).audit(engine.store, through: 3)
        #expect(!report.isValid)
        #expect(report.problems.first?.contains("no signed checkpoint") == true)
    }
}
