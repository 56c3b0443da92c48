import EventStore
public import Foundation

/// What a handled command appended: every event, where it landed, and the event itself.
public struct CommandResult: Sendable {
    /// One appended event.
    public struct Appended: Sendable {
        /// The event type, e.g. `ResponderAssigned`.
        public var type: String
        /// Its stream.
        public var stream: String
        /// Its global position.
        public var position: UInt64
        /// Its version in the stream.
        public var version: UInt64
        /// Its id.
        public var id: UUID
        /// The event (`nil` only for an idempotent replay whose stored payload no longer decodes).
        public var event: (any DomainEvent)?
    }

    /// The command's name.
    public var command: String
    /// The events, in append order (empty when there was nothing to do, e.g. a timer handled before).
    public var events: [Appended]
    /// True when the command had been handled before (same ``CommandEnvelope/commandId``): nothing
    /// was written and ``events`` are the original ones.
    public var alreadyStored: Bool

    /// The last position written, 0 when nothing was.
    public var lastPosition: UInt64 { events.last?.position ?? 0 }

    /// The appended events of type `T`.
    public func events<T: DomainEvent>(_ type: T.Type) -> [T] { events.compactMap { $0.event as? T } }

    /// The first appended event of type `T`.
    public func first<T: DomainEvent>(_ type: T.Type) -> T? { events.lazy.compactMap { $0.event as? T }.first }

    /// The event types in order, e.g. `["ResponseRequested", "TimerScheduled"]`.
    public var types: [String] { events.map(\.type) }

    /// The result as compact JSON: `{"command": …, "alreadyStored": …, "events": [{"type", "stream",
    /// "position", "version", "id", "data"}]}`.
    public var jsonBytes: [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("command", command)
        w.key("alreadyStored")
        w.bool(alreadyStored)
        w.key("events")
        w.beginArray()
        for e in events {
            w.beginObject()
            w.field("type", e.type)
            w.field("stream", e.stream)
            w.field("position", e.position)
            w.field("version", e.version)
            w.field("id", e.id.lowercaseText)
            if let event = e.event {
                w.key("data")
                // Written straight into the answer, not into a buffer of its own copied in.
                event.encodeJSON(into: &w)
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}
