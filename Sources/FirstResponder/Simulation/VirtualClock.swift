public import EventStore
import Synchronization

/// The simulation's time: the store's `recordedAt` reads it (pass ``now`` as the store's clock), and
/// the simulator moves it forward step by step, so a simulated log is the same on every run.
public final class VirtualClock: Sendable {
    private let instant: Mutex<Timestamp>

    /// A clock at `start`.
    public init(_ start: Timestamp) { instant = Mutex(start) }

    /// The current virtual time.
    public func now() -> Timestamp { instant.withLock { $0 } }

    /// Moves the clock to `t` (never backwards).
    public func advance(to t: Timestamp) { instant.withLock { $0 = max($0, t) } }
}
