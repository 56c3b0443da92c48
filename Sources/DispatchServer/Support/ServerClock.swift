public import EventStore

/// The daemon's clock: what it stamps on commands, the time its timer loop fires timers at, and the
/// moment views are evaluated at. In service it is the wall clock. For a demonstration it can start
/// at another instant and run faster (`vigil serve --simulate --speed 300`: five minutes a second),
/// so a simulated county's day passes in minutes — and the daemon, the timers and the views still
/// agree, because they all read this one clock.
public struct ServerClock: Sendable {
    /// How many seconds of this clock pass in one second of the wall clock.
    public let rate: Double
    /// This clock's reading when the wall clock read `wallOrigin`.
    private let origin: Timestamp
    private let wallOrigin: Timestamp

    /// The wall clock.
    public static var wall: ServerClock { ServerClock() }

    private init() {
        rate = 1
        origin = Timestamp(microseconds: 0)
        wallOrigin = origin
    }

    /// A clock that reads `start` now and then runs `rate` times as fast as the wall clock.
    public init(startingAt start: Timestamp, rate: Double) {
        precondition(rate > 0, "a clock runs forwards")
        self.rate = rate
        origin = start
        wallOrigin = Timestamp.now()
    }

    /// The time now.
    public func now() -> Timestamp {
        if origin == wallOrigin { return Timestamp.now() }
        let elapsed = Double(Timestamp.now().microseconds - wallOrigin.microseconds)
        return Timestamp(microseconds: origin.microseconds + Int64(elapsed * rate))
    }

    /// `duration` of this clock in wall-clock time.
    public func wall(_ duration: Duration) -> Duration {
        rate == 1 ? duration : duration / rate
    }

    /// Sleeps until this clock reads `instant` (returns at once if it has passed).
    public func sleep(until instant: Timestamp) async throws {
        let left = instant.microseconds - now().microseconds
        guard left > 0 else { return }
        try await Task.sleep(for: wall(.microseconds(left)))
    }
}
