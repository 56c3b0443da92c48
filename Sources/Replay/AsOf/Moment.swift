public import EventStore

/// A past moment to look at the log from, on either time axis.
public enum Moment: Sendable, Equatable, CustomStringConvertible {
    /// Everything through this log position.
    case position(UInt64)
    /// Everything recorded at or before this instant: "the figures as they were known on" it. Late
    /// entries recorded afterwards are left out, even when they happened before it.
    case recordedAt(Timestamp)

    public var description: String {
        switch self {
        case .position(let p): "position \(p)"
        case .recordedAt(let t): "as known at \(t.rfc3339)"
        }
    }

    /// The log position the moment stands for: itself, or the last position recorded at or before
    /// the instant (recordedAt never goes backwards along the log).
    public func position(in store: EventStore) throws -> UInt64 {
        switch self {
        case .position(let p): min(p, try store.head().position)
        case .recordedAt(let t): try store.lastPosition(recordedAtOrBefore: t)
        }
    }

    /// The time figures are evaluated at: the instant itself, or the recorded time of the position.
    public func instant(in store: EventStore, position: UInt64) throws -> Timestamp? {
        switch self {
        case .recordedAt(let t): t
        case .position: position == 0 ? nil : try store.event(at: position)?.recordedAt
        }
    }
}
