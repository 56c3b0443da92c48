import EventStore
import FirstResponder
import Foundation
import LMDB
import Projections

/// A simulated county written through the real command path into a store of its own (removed when
/// released): the log the runner tests fold.
final class SimulatedCounty {
    let directory: String
    let store: EventStore
    let timers = TimerIndex()
    let clock: VirtualClock
    let simulator: Simulator

    static let start = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!

    init(seed: UInt64 = 7) throws {
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
    func run(days: Int, seed: UInt64 = 7, casesPerYear: Int = 750) async throws {
        _ = try await simulator.run(Scenario(seed: seed, start: Self.start, days: days, casesPerYear: casesPerYear))
    }

    /// A runner over the store (a new one reads only what is stored: a process restarting).
    func runner() throws -> ProjectionRunner { try ProjectionRunner(store: store) }
}
