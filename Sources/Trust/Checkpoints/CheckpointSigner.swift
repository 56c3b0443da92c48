public import EventStore
import FirstResponder
import Foundation

/// Signs the log's chain head and appends the signature as a `CheckpointSigned` event in the
/// `checkpoints` stream (by `vigil checkpoint sign`, and by the daemon on a schedule).
public enum CheckpointSigner {
    /// The actor of checkpoint events.
    public static let actor = "system:checkpoint"

    /// What a signing did.
    public enum Outcome: Sendable {
        /// A checkpoint was appended at `position`, signing `statement`.
        case signed(position: UInt64, statement: CheckpointStatement, keyId: String)
        /// Nothing was appended: the log ends with a checkpoint already (at `position`), so there is
        /// nothing new to sign.
        case upToDate(position: UInt64)
        /// Nothing was appended: the log is empty.
        case emptyLog
    }

    /// Signs the head of `store`'s log with `key` as of `now` and appends the checkpoint, unless the
    /// head is itself a checkpoint. Returns once the checkpoint is durable.
    public static func sign(_ store: EventStore, key: CheckpointSigningKey, now: Timestamp) async throws -> Outcome {
        let head = try store.head()
        guard head.position > 0 else { return .emptyLog }
        if let last = try store.event(at: head.position), last.type == CheckpointSigned.eventType {
            return .upToDate(position: head.position)
        }
        let statement = CheckpointStatement(position: head.position, chainHash: head.hash, signedAt: now)
        let signature = try key.sign(statement.bytes)
        let keyId = key.publicKey.id
        let event = CheckpointSigned(
            position: Int(head.position), chainHash: Hex.encode(head.hash), algorithm: .ed25519, keyId: keyId,
            signature: Data(signature).base64EncodedString())
        let result = try await store.append(AppendRequest(events: [event.newEvent(occurredAt: now, actor: actor)]))
        return .signed(position: result.lastPosition, statement: statement, keyId: keyId)
    }
}
