import EventStore
import FirstResponder
import Logging
import ServiceLifecycle
import Synchronization
import VigilEngine

/// Plays a simulated county live, for demonstrations (`vigil serve --simulate`): steps of a scenario
/// (``Scenario``), each when the daemon's clock reaches its time, through the same command handler
/// the API uses. The daemon's own timer loop fires the timers (acknowledgement timeouts escalate,
/// breaches are recorded, the 72-hour window closes), and clients see it all on the live board. A
/// step the protocol refuses is counted and skipped, as in `vigil simulate`. A step the store cannot
/// take (a full disk) is tried again every second until it can: the county does not stop, and
/// neither does the daemon. The failure is logged once when it starts and once when writing works
/// again, not every second in between; readiness reports the full store meanwhile.
struct LiveSimulationService: Service {
    let engine: Engine
    let steps: [SimulatedStep]
    let clock: ServerClock
    let state: ServerState
    let logger: Logger

    /// Plays `steps` (in time order) on `clock`, appending through `engine`.
    init(engine: Engine, steps: [SimulatedStep], clock: ServerClock, state: ServerState, logger: Logger) {
        self.engine = engine
        self.steps = steps
        self.clock = clock
        self.state = state
        self.logger = logger
    }

    func run() async throws {
        guard let timers = engine.timers else { return }
        let simulator = Simulator(handler: engine.commands, timers: timers, clock: VirtualClock(clock.now()))
        logger.notice(
            "live simulation started",
            metadata: ["steps": .stringConvertible(steps.count), "speed": .stringConvertible(clock.rate)])
        let outage = WriteOutage()
        try await runUntilGracefulShutdown {
            var refused = 0
            for step in steps {
                try await clock.sleep(until: step.at)
                refused += try await simulator.play(step) { [engine, state, logger] error in
                    // The store failed to take a command (a full disk): say so once, wait, try it again.
                    state.note(error, store: engine.store)
                    if outage.begin() {
                        logger.error(
                            "live simulation cannot write; retrying every second (logged again when it can)",
                            metadata: ["at": .string(step.at.rfc3339), "error": .string("\(error)")])
                    }
                    try await Task.sleep(for: .seconds(1))
                }.refused.count
                if let lasted = outage.end() {
                    logger.notice(
                        "live simulation writing again",
                        metadata: ["after": .string("\(lasted.components.seconds) s"), "at": .string(step.at.rfc3339)])
                }
                if case .reportRecovery(let c) = step.action {
                    logger.info(
                        "recovery reported",
                        metadata: [
                            "case": .string(c.caseId), "station": .string(c.station.code),
                            "at": .string(step.at.rfc3339), "refused": .stringConvertible(refused),
                        ])
                }
            }
            logger.notice("live simulation finished: the scenario has no more steps")
        }
    }
}

/// When the live simulation's writes started failing, so it logs an outage once at each end.
private final class WriteOutage: Sendable {
    private let started = Mutex<ContinuousClock.Instant?>(nil)

    /// Notes a failed write; `true` if it starts an outage.
    func begin() -> Bool {
        started.withLock { started in
            guard started == nil else { return false }
            started = .now
            return true
        }
    }

    /// Ends the outage, if one was running: how long it lasted.
    func end() -> Duration? {
        started.withLock { started in
            defer { started = nil }
            return started.map { .now - $0 }
        }
    }
}
