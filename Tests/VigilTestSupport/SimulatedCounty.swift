public import EventStore
public import FirstResponder
import Foundation
import LMDB
public import Projections

/// A simulated county written through the real command path into a store of its own (removed when
/// released): the log the runner tests fold.
public final class SimulatedCounty {
    public let directory: String
    public let store: EventStore
    public let timers = TimerIndex()
    public let clock: VirtualClock
    public let simulator: Simulator

    public static let start = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!

    public init(seed: UInt64 = 7) throws {
        let name = "vigil-county-\(UUID().uuidString)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        clock = VirtualClock(Self.start)
        store = try EventStore.open(
            directory: directory,
            options: EventStore.Options(
                environment: Environment.Options(unsafeNoSync: true), clock: clock.now, inlineProjections: [timers],
                idSeed: seed))
        simulator = Simulator(handler: CommandHandler(store: store, clock: clock.now), timers: timers, clock: clock)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Simulates `days` days from the start with `seed`.
    public func run(days: Int, seed: UInt64 = 7, casesPerYear: Int = 750) async throws {
        _ = try await simulator.run(Scenario(seed: seed, start: Self.start, days: days, casesPerYear: casesPerYear))
    }

    /// A runner over the store (a new one reads only what is stored: a process restarting).
    public func runner() throws -> ProjectionRunner { try ProjectionRunner(store: store) }
}
