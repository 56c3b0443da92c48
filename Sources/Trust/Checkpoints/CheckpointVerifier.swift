public import EventStore
import FirstResponder
import Foundation

/// Checks signed checkpoints against the keys a verifier trusts and the log they sign.
///
/// One checkpoint at position *p* holds (position *q*, chain hash *h*, key id, signature). It checks
/// out when *q* < *p*, the log's record at *q* has chain hash *h*, the key id names a trusted key,
/// and the signature of the ``CheckpointStatement`` (*q*, *h*, the event's occurredAt) verifies with
/// it. With the hash chain itself verified (``EventStore/verify(deep:progress:)``), every record up
/// to *q* is then exactly the one the county signed.
public struct CheckpointVerifier: Sendable {
    /// The keys whose signatures count, by id.
    public let keys: [String: CheckpointPublicKey]

    /// A verifier trusting `keys`.
    public init(keys: [CheckpointPublicKey]) {
        self.keys = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A checkpoint that checked out.
    public struct Signed: Sendable, Hashable {
        /// The checkpoint event's position.
        public var checkpoint: UInt64
        /// What it signed.
        public var statement: CheckpointStatement
        /// The key that signed it.
        public var keyId: String
    }

    /// Checks the checkpoint event `event` against the log, whose chain hash at a position
    /// `chainHash(at:)` returns (`nil`: the log has no such position). Returns what it signed, or
    /// throws the problem, naming the checkpoint's position.
    public func check(_ event: RecordedEvent, chainHash: (UInt64) throws -> [UInt8]?) throws -> Signed {
        let p = event.position
        func problem(_ message: String) -> CheckpointFailure {
            CheckpointFailure(position: p, message: message)
        }
        let payload: CheckpointSigned
        do {
            guard let decoded = try EventCatalog.decode(event) as? CheckpointSigned else {
                throw problem("a \(event.type) event is not a checkpoint")
            }
            payload = decoded
        } catch let error as CheckpointFailure {
            throw error
        } catch {
            throw problem("its payload does not decode (\(error))")
        }
        let q = UInt64(payload.position)
        guard q < p else { throw problem("it signs position \(q), which is not before its own") }
        guard let signedHash = Hex.decode(payload.chainHash), signedHash.count == 32 else {
            throw problem("its chainHash is not 64 hexadecimal digits")
        }
        guard let key = keys[payload.keyId] else {
            throw problem(
                "signed by key \(payload.keyId), which is not a key given to check with (\(keys.keys.sorted().joined(separator: ", "))): "
                    + "a wrong key was given, or the checkpoint was signed by someone else")
        }
        let statement = CheckpointStatement(position: q, chainHash: signedHash, signedAt: event.occurredAt)
        guard let signature = Data(base64Encoded: payload.signature).map(Array.init),
            key.isValidSignature(signature, for: statement.bytes)
        else {
            throw problem(
                "its signature does not verify with key \(key.id): the checkpoint is forged, or its position, hash or time was altered"
            )
        }
        guard let actual = try chainHash(q) else {
            throw problem("it signs position \(q), which this log does not hold")
        }
        guard actual == signedHash else {
            throw problem(
                "the county signed chain hash \(payload.chainHash) at position \(q), but this log's record there has chain hash \(Hex.encode(actual)): "
                    + "the log was altered at or before position \(q)")
        }
        return Signed(checkpoint: p, statement: statement, keyId: key.id)
    }
}

/// A checkpoint that does not check out: its position and why.
public struct CheckpointFailure: Error, Sendable, CustomStringConvertible {
    /// The checkpoint event's position.
    public var position: UInt64
    /// What is wrong.
    public var message: String

    public var description: String { "position \(position): checkpoint: \(message)" }
}
