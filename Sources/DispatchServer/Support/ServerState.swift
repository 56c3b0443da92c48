import EventStore
import Synchronization

/// What the routes and the services share about the daemon's own state: whether the timer loop
/// has caught up with what fell due while the daemon was down, where the views stand, whether
/// writes are being refused for want of space, and whether it is shutting down.
final class ServerState: Sendable {
    private struct Values {
        var timersCaughtUp = false
        var viewsCaughtUp = false
        var shuttingDown = false
        var lastTimerPass: ContinuousClock.Instant?
        var storageFull: StorageFull?
        var replicaFailure: String?
    }

    /// A write refused for want of space (a full disk, the map's size limit).
    struct StorageFull: Equatable {
        /// The log's head when it was refused: a later write that succeeds moves it.
        var head: UInt64
        /// When the daemon first met it (since the last write that succeeded).
        var since: ContinuousClock.Instant
        /// When it last met it.
        var last: ContinuousClock.Instant
    }

    private let values = Mutex(Values())

    /// How long readiness reports a full store after the last write refused for space
    /// (``ServerConfiguration/storageFullHold``).
    let storageFullHold: Duration

    init(storageFullHold: Duration = .seconds(30)) {
        self.storageFullHold = storageFullHold
    }

    /// The log position the views have folded up to; the live board's streams wait on it.
    let views = HeadNotifier(head: 0)

    /// The timer loop finished its first pass (every timer overdue at start-up fired).
    var timersCaughtUp: Bool { values.withLock { $0.timersCaughtUp } }
    /// The views were brought up to the log's head once since start (a rebuild included).
    var viewsCaughtUp: Bool { values.withLock { $0.viewsCaughtUp } }
    /// Graceful shutdown began: no new work should be taken.
    var shuttingDown: Bool { values.withLock { $0.shuttingDown } }
    /// When the timer loop last completed a pass.
    var lastTimerPass: ContinuousClock.Instant? { values.withLock { $0.lastTimerPass } }

    func timerPassCompleted() {
        values.withLock {
            $0.timersCaughtUp = true
            $0.lastTimerPass = .now
        }
    }

    /// A write was refused for want of space with the log's head at `head`.
    func noteStorageFull(head: UInt64, at now: ContinuousClock.Instant = .now) {
        values.withLock {
            if let full = $0.storageFull, full.head == head {
                $0.storageFull?.last = now
            } else {
                $0.storageFull = StorageFull(head: head, since: now, last: now)
            }
        }
    }

    /// Whether writes are being refused for want of space, given the log's head now: since when, or
    /// `nil` once a write succeeded (the head moved) or none was refused for ``storageFullHold``.
    func storageFullSince(head: UInt64, at now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        values.withLock {
            guard let full = $0.storageFull, full.head == head, now - full.last < storageFullHold else {
                $0.storageFull = nil
                return nil
            }
            return full.since
        }
    }

    func viewsFolded() {
        values.withLock { $0.viewsCaughtUp = true }
    }

    /// A read-only replica's head and views were read: it has no timers to fire and folds nothing
    /// itself (``ReplicaService``).
    func replicaRead() {
        values.withLock {
            $0.timersCaughtUp = true
            $0.viewsCaughtUp = true
            $0.replicaFailure = nil
        }
    }

    /// A read-only replica's head or views could not be read, for `reason`: not ready until they are.
    func replicaUnreadable(_ reason: String) {
        values.withLock { $0.replicaFailure = reason }
    }

    /// Why the replica could not be read the last time it was tried, or `nil` when it was read.
    var replicaFailure: String? { values.withLock { $0.replicaFailure } }

    func beginShutdown() {
        values.withLock { $0.shuttingDown = true }
    }
}

extension ServerState {
    /// Notes `error` if it is a write refused for want of space (what the client gets as 507,
    /// ``Problem/insufficientStorage``), with the head now of `store`, the store written to (a
    /// replica's access store); anything else is ignored. Returns whether it was one.
    @discardableResult
    func note(_ error: any Error, store: EventStore) -> Bool {
        guard Problem(error).status.code == 507, let head = try? store.head().position else { return false }
        noteStorageFull(head: head)
        return true
    }
}
