public import Foundation

/// A stored event with its whole envelope.
public struct RecordedEvent: Sendable, Equatable {
    /// Its global position (dense, from 1).
    public var position: UInt64
    /// Its stream.
    public var stream: String
    /// Its version in the stream (dense, from 1).
    public var version: UInt64
    /// Its id.
    public var id: UUID
    /// Its type.
    public var type: String
    /// The version of the type's schema its payload follows.
    public var schemaVersion: UInt16
    /// When it happened in the field.
    public var occurredAt: Timestamp
    /// When the log stored it.
    public var recordedAt: Timestamp
    /// Who did it.
    public var actor: String
    /// The correlation id, if any.
    public var correlationId: UUID?
    /// The causation id, if any.
    public var causationId: UUID?
    /// Metadata: a JSON object, or empty.
    public var metadata: [UInt8]
    /// The payload.
    public var payload: [UInt8]
    /// How the payload is encoded.
    public var payloadEncoding: PayloadEncoding
    /// SHA-256 over the previous record's hash, the position and this record's bytes.
    public var hash: [UInt8]

    /// The hash as lowercase hex.
    public var hashHex: String { Hex.encode(hash) }
}

/// A stream's head: how far it has got.
public struct StreamHead: Sendable, Hashable {
    /// The stream's name.
    public var stream: String
    /// Its dense number, assigned when its first event was written.
    public var number: UInt64
    /// Its last version (= its number of events).
    public var version: UInt64
    /// The position of its last event.
    public var lastPosition: UInt64
    /// The position of its first event.
    public var firstPosition: UInt64
}

/// The log's head: the last position and its chain hash.
public struct LogHead: Sendable, Hashable {
    /// The last position, 0 for an empty log.
    public var position: UInt64
    /// The chain hash at that position (32 zero bytes for an empty log).
    public var hash: [UInt8]

    /// A head.
    public init(position: UInt64, hash: [UInt8]) {
        self.position = position
        self.hash = hash
    }

    /// The hash as lowercase hex.
    public var hashHex: String { Hex.encode(hash) }
}
