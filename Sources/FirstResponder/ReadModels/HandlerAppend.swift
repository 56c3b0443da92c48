public import EventStore

/// One event a command handler appended, where the log put it: the caches the handler keeps
/// (``RosterViewCache``, ``PolicyViewCache``) fold it as the value it appended, without reading it
/// back from the log.
struct HandlerAppend {
    /// The event as appended (its type's current version).
    var event: any DomainEvent
    /// Its stream.
    var stream: String
    /// Its version in the stream.
    var version: UInt64
    /// Its position in the log.
    var position: UInt64
    /// When it happened.
    var occurredAt: Timestamp
}
