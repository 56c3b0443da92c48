public import Foundation

/// An event to append: everything but what the store assigns (position, version, recordedAt, hash).
public struct NewEvent: Sendable, Equatable {
    /// The event's id. `nil` lets the store make a UUIDv7 (see ``EventID``).
    public var id: UUID?
    /// The stream the event belongs to: 1–``NewEvent/maxStreamLength`` bytes of UTF-8, no control
    /// characters.
    public var stream: String
    /// The event type, e.g. `RecoveryReported`.
    public var type: String
    /// The version of the type's schema the payload follows.
    public var schemaVersion: UInt16
    /// When it happened in the field.
    public var occurredAt: Timestamp
    /// Who did it, e.g. `user:dispatcher-7` or `system:timer`.
    public var actor: String
    /// The id of the request or conversation this event is part of.
    public var correlationId: UUID?
    /// The id of the event or command that caused this one.
    public var causationId: UUID?
    /// A JSON object of metadata, or empty.
    public var metadata: [UInt8]
    /// The payload.
    public var payload: [UInt8]
    /// How ``payload`` is encoded.
    public var payloadEncoding: PayloadEncoding
    /// What the stream's version must be just before this event (counting earlier events of the
    /// same append), or `nil` for no check. For a check of the stream before the whole append, use
    /// ``AppendRequest/expectations``.
    public var expectedVersion: ExpectedVersion?
    /// For ``EventStore/restore(_:)`` only: the envelope the event had in the store it was exported
    /// from, to be reproduced exactly.
    public var restore: Restore?

    /// The store-assigned envelope of an exported event, for a restore.
    public struct Restore: Sendable, Equatable {
        /// The position it must land at.
        public var position: UInt64
        /// Its original recordedAt.
        public var recordedAt: Timestamp
        /// Its original chain hash, checked after writing when given.
        public var hash: [UInt8]?

        /// A restore envelope.
        public init(position: UInt64, recordedAt: Timestamp, hash: [UInt8]?) {
            self.position = position
            self.recordedAt = recordedAt
            self.hash = hash
        }
    }

    /// An event to append.
    public init(
        id: UUID? = nil,
        stream: String,
        type: String,
        schemaVersion: UInt16 = 1,
        occurredAt: Timestamp,
        actor: String,
        correlationId: UUID? = nil,
        causationId: UUID? = nil,
        metadata: [UInt8] = [],
        payload: [UInt8],
        payloadEncoding: PayloadEncoding = .json,
        expectedVersion: ExpectedVersion? = nil
    ) {
        self.id = id
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.actor = actor
        self.correlationId = correlationId
        self.causationId = causationId
        self.metadata = metadata
        self.payload = payload
        self.payloadEncoding = payloadEncoding
        self.expectedVersion = expectedVersion
    }

    /// The longest stream name, in UTF-8 bytes.
    public static let maxStreamLength = 200
    /// The longest event type name, in UTF-8 bytes.
    public static let maxTypeLength = 100
    /// The longest actor, in UTF-8 bytes.
    public static let maxActorLength = 200
    /// The largest payload, in bytes.
    public static let maxPayloadSize = 1 << 24
}

/// What the stream's version must be for an append to go ahead (optimistic concurrency).
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must exist (have at least one event).
    case streamExists
    /// The stream's last version must be exactly this (0 means the stream must not exist).
    case exactly(UInt64)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .streamExists: "stream exists"
        case .exactly(let v): "version \(v)"
        }
    }
}

/// One atomic append: events to one or more streams, with optional expected versions per stream.
public struct AppendRequest: Sendable {
    /// The events, in the order they get positions.
    public var events: [NewEvent]
    /// Expected versions by stream; a stream with none is not checked.
    public var expectations: [String: ExpectedVersion]
    /// Called with the result once the append has committed, on the committing thread, before its
    /// caller resumes — in log order with every other append's. For a cache that folds what its owner
    /// appended (the command handler's board) and must fold it in the order the log holds it:
    /// concurrent appends that share a commit resume their callers in any order. It must be quick,
    /// must not throw and must not touch the store (the writer waits for it).
    public var onCommit: (@Sendable (AppendResult) -> Void)?

    /// An append of `events` with `expectations`.
    public init(
        events: [NewEvent], expectations: [String: ExpectedVersion] = [:],
        onCommit: (@Sendable (AppendResult) -> Void)? = nil
    ) {
        self.events = events
        self.expectations = expectations
        self.onCommit = onCommit
    }
}

/// Where one appended event landed.
public struct AppendedEvent: Sendable, Hashable {
    /// The event's id.
    public var id: UUID
    /// Its stream.
    public var stream: String
    /// Its version in the stream (the first event of a stream is version 1).
    public var version: UInt64
    /// Its global position (the first event of the log is position 1).
    public var position: UInt64
}

/// The outcome of an append.
public struct AppendResult: Sendable {
    /// Each event, in request order.
    public var events: [AppendedEvent]
    /// True when every event id was already stored: nothing was written and ``events`` are the
    /// original positions (an idempotent retry).
    public var alreadyStored: Bool
    /// When the store recorded them.
    public var recordedAt: Timestamp

    /// The last position written, or 0 for an empty append.
    public var lastPosition: UInt64 { events.last?.position ?? 0 }
}
