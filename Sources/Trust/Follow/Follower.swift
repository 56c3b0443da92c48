public import EventStore
import FirstResponder
import Foundation
public import VigilEngine

/// Keeps a replica of the leader's log current (`vigil follow`).
///
/// Every record comes from the leader's log at its own position, with its `recordedAt` and chain
/// hash, and is written with ``EventStore/restore(_:)``, which takes a record only at the replica's
/// head + 1 and only when the chain hash it computes is the leader's: no gap, no duplicate and no
/// altered record can enter, whatever the connection does. After a restart or a cut it resumes
/// after its own head. Before it tails, it proves the leader still holds the replica's history —
/// the same chain hash at the replica's head — or finds the first position where they differ and
/// refuses. With checkpoint keys, every `CheckpointSigned` record is checked as it arrives.
public struct Follower: Sendable {
    /// The replica.
    public let engine: Engine
    /// The leader.
    public let leader: LeaderClient
    /// Checks each checkpoint as it arrives, when keys were given.
    public let verifier: CheckpointVerifier?

    /// A follower writing `leader`'s log into `engine`'s store.
    public init(engine: Engine, leader: LeaderClient, verifier: CheckpointVerifier?) {
        self.engine = engine
        self.leader = leader
        self.verifier = verifier
    }

    /// What following did, for the operator.
    public enum Progress: Sendable {
        /// Tailing after `position`; the leader's head was `leaderHead`.
        case connected(after: UInt64, leaderHead: UInt64)
        /// Records up to `position` written (and the views brought up to them); `lagSeconds` is how
        /// long after the leader recorded the last of them the replica has it.
        case applied(through: UInt64, events: Int, lagSeconds: Double)
        /// A checkpoint checked out.
        case checkpoint(Checkpoint)
    }

    /// A checkpoint that checked out as it arrived.
    public struct Checkpoint: Sendable {
        /// Its position.
        public var position: UInt64
        /// The position it signs.
        public var signs: UInt64
        /// The key that signed it.
        public var keyId: String
    }

    /// Proves the leader holds the replica's history; throws ``TrustError/Code/diverged`` naming the
    /// first position where they differ. Returns the leader's head.
    public func checkHistory() async throws -> UInt64 {
        let local = try engine.store.head()
        let (record, leaderHead) = try await leader.record(at: max(local.position, 1))
        guard local.position > 0 else { return leaderHead }
        if let record, record.hash == Hex.encode(local.hash) { return leaderHead }
        // Chain hashes cover everything before them: equal at k means equal up to k. Find the first k
        // where they differ, between the last known-equal position and the replica's head.
        var low: UInt64 = 0
        var high = local.position
        if leaderHead < local.position {
            if leaderHead > 0, try await same(at: leaderHead) {
                throw TrustError(
                    .diverged,
                    "the leader's log ends at position \(leaderHead), but this replica holds up to \(local.position): the leader lost records \(leaderHead + 1)…\(local.position) (restored from an older backup?); the first differing position is \(leaderHead + 1). Refusing to follow it"
                )
            }
            high = leaderHead
        }
        while low + 1 < high {
            let middle = low + (high - low) / 2
            if try await same(at: middle) { low = middle } else { high = middle }
        }
        throw TrustError(
            .diverged,
            "the leader's history diverges from this replica's: the first differing position is \(high) (the chain hashes there differ, and agree up to \(low)). Refusing to follow it"
        )
    }

    /// Whether the leader's chain hash at `position` is the replica's.
    private func same(at position: UInt64) async throws -> Bool {
        guard let mine = try engine.store.event(at: position)?.hash else { return false }
        return try await leader.record(at: position).record?.hash == Hex.encode(mine)
    }

    /// Tails the leader from the replica's head until the leader ends the stream (it stops) or the
    /// connection fails (thrown). Refused records — a chain that does not continue the replica's, a
    /// checkpoint that does not check out — end it with a ``TrustError``.
    public func tail(_ progress: @Sendable (Progress) -> Void) async throws {
        let leaderHead = try await checkHistory()
        let after = try engine.store.head().position
        progress(.connected(after: after, leaderHead: leaderHead))
        for try await messages in leader.stream(after: after) {
            var batch: [NewEvent] = []
            for message in messages {
                let event: NewEvent
                do {
                    event = try EventCatalog.checkLine(message.data).newEvent
                } catch {
                    throw TrustError(
                        .leader,
                        "the leader sent a record that is not an export line (event id \(message.id ?? "?")): \(error)")
                }
                batch.append(event)
                if event.type == CheckpointSigned.eventType {
                    try await apply(batch, progress)
                    batch = []
                }
            }
            try await apply(batch, progress)
        }
    }

    /// Writes `events` at their positions, checks a checkpoint among them, and brings the views up.
    private func apply(_ events: [NewEvent], _ progress: @Sendable (Progress) -> Void) async throws {
        guard let first = events.first?.restore?.position else { return }
        let head = try engine.store.head().position
        guard first == head + 1 else {
            throw FollowInterrupted(
                message:
                    "the leader sent position \(first) after this replica's head \(head): a gap; reconnecting after \(head)"
            )
        }
        do {
            _ = try await engine.store.restore(events)
        } catch let error as EventStoreError {
            throw TrustError(
                .diverged,
                "the leader's records from position \(first) do not continue this replica's chain: \(error.message). Refusing to follow it",
                cause: error)
        }
        if let verifier, let last = events.last, last.type == CheckpointSigned.eventType,
            let position = last.restore?.position, let stored = try engine.store.event(at: position)
        {
            do {
                let signed = try verifier.check(stored) { try engine.store.event(at: $0)?.hash }
                progress(
                    .checkpoint(Checkpoint(position: position, signs: signed.statement.position, keyId: signed.keyId)))
            } catch let failure as CheckpointFailure {
                throw TrustError(
                    .checkpoint,
                    "position \(position): \(failure.message); the replica stops here (vigil verify --key names it too)"
                )
            }
        }
        _ = try engine.projections.catchUp()
        let recordedAt = events.last?.restore?.recordedAt ?? Timestamp.now()
        progress(
            .applied(
                through: try engine.store.head().position, events: events.count,
                lagSeconds: recordedAt.seconds(until: Timestamp.now())))
    }
}

/// The stream broke off in a way a new connection mends (the follower reconnects after its head).
public struct FollowInterrupted: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String
    public var description: String { message }
}
