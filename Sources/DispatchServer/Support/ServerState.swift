import Synchronization

/// What the routes and the services share about the daemon's own state: whether the timer loop
/// has caught up with what fell due while the daemon was down, and whether it is shutting down.
final class ServerState: Sendable {
    private struct Values {
        var timersCaughtUp = false
        var shuttingDown = false
        var lastTimerPass: ContinuousClock.Instant?
    }

    private let values = Mutex(Values())

    /// The timer loop finished its first pass (every timer overdue at start-up fired).
    var timersCaughtUp: Bool { values.withLock { $0.timersCaughtUp } }
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

    func beginShutdown() {
        values.withLock { $0.shuttingDown = true }
    }
}
