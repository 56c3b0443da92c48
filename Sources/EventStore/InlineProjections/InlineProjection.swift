public import Foundation
public import LMDB

/// A view kept in the same transaction as the events it folds (ARCHITECTURE decision 9): stream
/// heads are one, the durable timer index another. The writer calls ``apply(_:_:)`` for every event
/// it writes, inside the append's transaction, so the view can never be behind or ahead of the log.
///
/// A projection keeps its state in its own named databases and its checkpoint (the last position it
/// folded) in the store's `checkpoints` database, updated in the same transaction. When a store is
/// opened with a projection whose checkpoint is behind the log (it was added later, or rebuilt), the
/// store folds the missing events in before it takes appends.
///
/// `apply` must not fail for a well-formed event: check what could be wrong in ``check(_:)``, which
/// runs before the append is queued and fails that append alone. A throw from `apply` fails the
/// whole commit it is part of.
public protocol InlineProjection: Sendable {
    /// Its name: the key of its checkpoint. Changing it starts the projection from scratch.
    var name: String { get }
    /// Opens (creating) its databases. Called once, in a write transaction, when the store opens.
    func open(_ txn: borrowing Transaction) throws
    /// Deletes its state, for a rebuild. Called in a write transaction.
    func reset(_ txn: borrowing Transaction) throws
    /// Whether `event` can be folded; a message naming the field when it cannot.
    func check(_ event: NewEvent) -> String?
    /// Folds `event` in.
    func apply(_ event: WrittenEvent, _ txn: borrowing Transaction) throws
}

extension InlineProjection {
    /// Accepts every event.
    public func check(_ event: NewEvent) -> String? { nil }
}

/// An event as the writer wrote it: the client's fields and the envelope the store assigned.
public struct WrittenEvent: Sendable {
    /// Its position.
    public var position: UInt64
    /// Its stream.
    public var stream: String
    /// Its version in the stream.
    public var version: UInt64
    /// Its id.
    public var id: UUID
    /// Its type.
    public var type: String
    /// Its schema version.
    public var schemaVersion: UInt16
    /// When it happened in the field.
    public var occurredAt: Timestamp
    /// When the log recorded it.
    public var recordedAt: Timestamp
    /// Its payload.
    public var payload: [UInt8]
    /// How the payload is encoded.
    public var payloadEncoding: PayloadEncoding

    /// An event as written.
    public init(
        position: UInt64, stream: String, version: UInt64, id: UUID, type: String, schemaVersion: UInt16,
        occurredAt: Timestamp, recordedAt: Timestamp, payload: [UInt8], payloadEncoding: PayloadEncoding
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.payload = payload
        self.payloadEncoding = payloadEncoding
    }

    init(_ view: EventView) {
        self.init(
            position: view.position, stream: view.stream, version: view.version, id: view.id, type: view.type,
            schemaVersion: view.schemaVersion, occurredAt: view.occurredAt, recordedAt: view.recordedAt,
            payload: Array(view.payloadBytes), payloadEncoding: view.payloadEncoding)
    }
}
