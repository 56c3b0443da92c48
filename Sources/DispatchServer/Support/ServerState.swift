import EventStore
import Synchronization

/// What the routes and the services share about the daemon's own state: whether the timer loop
/// has caught up with what fell due while the daemon was down, where the views stand, and whether it
/// is shutting down.
final class ServerState: Sendable {
    private struct Values {
        var timersCaughtUp = false
        var viewsCaughtUp = false
        var shuttingDown = false
        var lastTimerPass: ContinuousClock.Instant?
    }

    private let values = Mutex(Values())

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

    func viewsFolded() {
        values.withLock { $0.viewsCaughtUp = true }
    }

    /// A read-only replica's head and views were read: it has no timers to fire and folds nothing
    /// itself (``ReplicaService``).
    func replicaRead() {
        values.withLock {
            $0.timersCaughtUp = true
            $0.viewsCaughtUp = true
        }
    }

    func beginShutdown() {
        values.withLock { $0.shuttingDown = true }
    }
}
