public import EventStore
import Synchronization

/// Keeps one store's ``RosterView`` current in memory: each request folds only the events appended
/// since the last one. A request for an earlier position (an audit) folds a fresh view from the start
/// and leaves the cached one as it is.
///
/// Thread-safe: the cached view is behind a mutex, held while the new events are folded (a read of
/// the log, never across an `await`).
public final class RosterViewCache: Sendable {
    private let cached = Mutex(RosterView())

    /// An empty cache.
    public init() {}

    /// The board of `store` as of its head, read under the cache's lock, so concurrent commands each
    /// get the newest board without refolding from the start (a command that asked for the head
    /// first and the board second could find the cache already past its head).
    public func latest(of store: EventStore) throws -> RosterView {
        try cached.withLock { view throws -> RosterView in
            try view.catchUp(store, through: try store.head().position)
            return view
        }
    }

    /// Folds the events a handler has just appended, as the values it appended (nothing read back
    /// from the log or decoded), when they come right after the cached board: the next request then
    /// finds the board at the head. The handler folds from its append's ``AppendRequest/onCommit``,
    /// so its appends come in log order even when concurrent commands share a commit. Events after a
    /// gap (another writer's append came first) are left for the next request to read from the log.
    func fold(appended events: [HandlerAppend]) {
        cached.withLock { view in
            for appended in events {
                guard appended.position == view.position + 1 else { return }
                view.position = appended.position
                let event = appended.event.catalogEvent
                guard RosterView.folds(event) else { continue }
                view.apply(
                    event, stream: appended.stream, version: appended.version, occurredAt: appended.occurredAt)
            }
        }
    }

    /// The position the cached board has folded through, without reading the log.
    public var foldedPosition: UInt64 { cached.withLock { $0.position } }

    /// The board of `store` as of `position` (which must not be beyond the log's head).
    public func view(of store: EventStore, through position: UInt64) throws -> RosterView {
        try cached.withLock { view throws -> RosterView in
            guard view.position <= position else { return try RosterView.load(from: store, through: position) }
            try view.catchUp(store, through: position)
            return view
        }
    }
}
