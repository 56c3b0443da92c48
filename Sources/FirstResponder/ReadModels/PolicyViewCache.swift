public import EventStore
import Synchronization

/// Keeps one store's ``PolicyView`` current in memory: each request folds only the `policy`
/// stream's events appended since the last one, read in place, instead of reading and decoding the
/// whole stream for every command that reads the policy.
///
/// A request as of an earlier position than the cached view's `PolicyChanged` (a command that read
/// its head before another command changed the policy) folds a fresh view and leaves the cached one
/// as it is. A stream event that does not decode is an error at every request, never skipped, and
/// the cache stays before it.
///
/// Thread-safe: the cached view is behind a mutex, held while the new events are folded (a read of
/// the log, never across an `await`).
public final class PolicyViewCache: Sendable {
    private let cached = Mutex(PolicyView.initial)

    /// An empty cache.
    public init() {}

    /// The policy in force in `store` as of `position` (a log position the store has reached): what
    /// ``PolicyView/load(from:through:)`` returns.
    public func view(of store: EventStore, through position: UInt64) throws -> PolicyView {
        try cached.withLock { view throws -> PolicyView in
            guard view.position <= position else { return try PolicyView.load(from: store, through: position) }
            try view.catchUp(store, through: position)
            return view
        }
    }
}
