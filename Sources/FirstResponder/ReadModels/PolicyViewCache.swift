public import EventStore
import Synchronization

/// Keeps one store's ``PolicyView`` current in memory: each request folds only the `policy`
/// stream's events appended since the last one, read in place, instead of reading and decoding the
/// whole stream for every command that reads the policy. A handler also tells it what it appended
/// (``fold(appended:)``): while every event since the last request is one of those, the next
/// request reads nothing at all.
///
/// A request as of an earlier position than the cached view's `PolicyChanged` (a command that read
/// its head before another command changed the policy) folds a fresh view and leaves the cached one
/// as it is. A stream event that does not decode is an error at every request, never skipped, and
/// the cache stays before it.
///
/// Thread-safe: the cached view is behind a mutex, held while the new events are folded (a read of
/// the log, never across an `await`).
public final class PolicyViewCache: Sendable {
    private struct State {
        var view = PolicyView.initial
        /// Every `policy` event at or before this log position is folded into ``view``.
        var complete: UInt64 = 0
    }

    private let cached = Mutex(State())

    /// An empty cache.
    public init() {}

    /// The policy in force in `store` as of `position` (a log position the store has reached): what
    /// ``PolicyView/load(from:through:)`` returns.
    public func view(of store: EventStore, through position: UInt64) throws -> PolicyView {
        try cached.withLock { state throws -> PolicyView in
            guard state.view.position <= position else { return try PolicyView.load(from: store, through: position) }
            if position <= state.complete { return state.view }
            try state.view.catchUp(store, through: position)
            state.complete = position
            return state.view
        }
    }

    /// Folds the events a handler has just appended (their `PolicyChanged`, as appended) when they
    /// come right after what the cache has folded, so that the next request as of their last
    /// position reads nothing. Events after a gap are left for the next request to read.
    func fold(appended events: [HandlerAppend]) {
        cached.withLock { state in
            for appended in events {
                guard appended.position == state.complete + 1 else { return }
                if appended.stream == PolicyView.stream {
                    guard let change = appended.event as? PolicyChanged else { return }
                    state.view.apply(change, position: appended.position, version: appended.version)
                }
                state.complete = appended.position
            }
        }
    }
}
