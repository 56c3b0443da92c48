public import EventStore

/// What a fold reads of an event's envelope besides its payload.
public struct EventEnvelope: Sendable, Hashable {
    /// The event's global position.
    public var position: UInt64
    /// Its version in its stream.
    public var streamVersion: UInt64
    /// When it happened in the field.
    public var occurredAt: Timestamp
    /// When the log stored it.
    public var recordedAt: Timestamp

    /// An envelope.
    public init(position: UInt64, streamVersion: UInt64, occurredAt: Timestamp, recordedAt: Timestamp) {
        self.position = position
        self.streamVersion = streamVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
    }

    /// The envelope of a stored event.
    public init(_ view: EventView) {
        self.init(
            position: view.position, streamVersion: view.version, occurredAt: view.occurredAt,
            recordedAt: view.recordedAt)
    }
}
