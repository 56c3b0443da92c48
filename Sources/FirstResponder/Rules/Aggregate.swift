public import EventStore

/// What the rules know of an event besides its payload: where it lands and when it happened.
public struct EventFacts: Sendable, Hashable {
    /// Its global position (for an event being admitted: the position it will get if nothing else
    /// is appended first).
    public var position: UInt64
    /// Its version in its stream.
    public var version: UInt64
    /// When it happened in the field.
    public var occurredAt: Timestamp

    /// The facts of one event.
    public init(position: UInt64, version: UInt64, occurredAt: Timestamp) {
        self.position = position
        self.version = version
        self.occurredAt = occurredAt
    }
}

/// The state of one stream as the rules read it: a fold of its events (``fold(_:_:)``), and the
/// stream's version.
///
/// Stored events are folded without checks (the rules checked them when they came in; a store
/// written with `vigil import --raw` is the operator's responsibility). New events are checked
/// first, by the aggregate's `admit`, and then folded the same way.
protocol Aggregate: Sendable {
    /// The empty aggregate of `stream`, or `nil` when the stream is not one of this kind.
    init?(stream: String)
    /// The stream's version folded so far (0: no event).
    var version: UInt64 { get }
    /// Folds one event of the stream.
    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts)
}
