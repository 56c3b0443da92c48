import EventStore
import Logging
import ServiceLifecycle
import VigilEngine

/// Fires due timers on the wall clock through the engine's one timer loop
/// (``Engine/fireDueTimers(now:skipping:)``): each `TimerFired` with its reaction (an escalation, a
/// breach, the 72-hour window closing) in one append.
///
/// Its first pass, at start-up, fires every timer that fell due while the daemon was down (each as of
/// its own due time, so the log is the same as if the daemon had never stopped); the daemon reports
/// ready only after it. Then it looks again every `interval`, so a timer fires within that of its
/// due time. Timers the protocol refuses stay pending and are skipped, logged once.
struct TimerLoopService: Service {
    let engine: Engine
    let state: ServerState
    let interval: Duration
    let clock: ServerClock
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        var refused: Set<String> = []
        let started = clock.now()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let now = clock.now()
                let pass = try await engine.fireDueTimers(now: now, skipping: refused)
                for (timer, rejection) in pass.refused where refused.insert(timer.timerId).inserted {
                    logger.warning(
                        "timer refused by the protocol; left pending",
                        metadata: ["timer": .string(timer.timerId), "reason": .string("\(rejection)")])
                }
                let fired = clock.now()
                for timer in pass.handled {
                    // Timers that fell due while the daemon was down are counted apart: their delay
                    // is the downtime, not the loop's.
                    if timer.dueAt < started {
                        metrics.timerCaughtUp()
                    } else {
                        // Measured in wall-clock time, whatever the daemon's clock's pace.
                        metrics.timerFired(
                            delay: clock.wall(.microseconds(fired.microseconds - timer.dueAt.microseconds)))
                    }
                }
                if !pass.handled.isEmpty {
                    logger.info("timers fired", metadata: ["count": .stringConvertible(pass.handled.count)])
                }
                state.timerPassCompleted()
            } catch {
                logger.error("timer pass failed; retrying", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
