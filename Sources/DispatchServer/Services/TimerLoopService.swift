import EventStore
import Logging
import ServiceLifecycle
import VigilEngine

/// Fires due timers on the wall clock through the engine's one timer loop
/// (``Engine/fireDueTimers(now:skipping:concurrency:)``): each `TimerFired` with its reaction (an
/// escalation, a breach, the 72-hour window closing) in one append.
///
/// Its first pass, at start-up, fires every timer that fell due while the daemon was down (each as of
/// its own due time, so the log is the same as if the daemon had never stopped); the daemon reports
/// ready only after it. Then it sleeps until the earliest pending timer falls due — for at most
/// `interval`, since a command may schedule an earlier one meanwhile — so a timer fires as soon as it
/// is due rather than at the next of a fixed series of looks. Timers falling due together are
/// handled concurrently (different cases at once), sharing the writer's commits. The loop runs on a
/// thread of its own (``DedicatedThreadExecutor/timers``), so it does not wait behind the requests
/// when the daemon is busy. Timers the protocol refuses stay pending and are skipped, logged once.
struct TimerLoopService: Service {
    let engine: Engine
    let state: ServerState
    let interval: Duration
    let clock: ServerClock
    let metrics: ServerMetrics
    let logger: Logger

    /// How many timers of different cases are handled at once.
    static let concurrency = 64

    func run() async throws {
        try await withTaskExecutorPreference(DedicatedThreadExecutor.timers) {
            try await loop()
        }
    }

    private func loop() async throws {
        var refused: Set<String> = []
        let started = clock.now()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let now = clock.now()
                let pass = try await engine.fireDueTimers(now: now, skipping: refused, concurrency: Self.concurrency)
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
                state.note(error, store: engine.store)
                logger.error("timer pass failed; retrying", metadata: ["error": .string("\(error)")])
            }
            // Until the next timer is due (at most `interval`), or the daemon begins shutting down.
            let pause = pause(skipping: refused)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// How long to sleep before the next pass: until the earliest pending timer (other than the
    /// refused ones) falls due, at most `interval`.
    private func pause(skipping refused: Set<String>) -> Duration {
        guard let due = try? engine.nextTimerDue(skipping: refused) else { return interval }
        let left = clock.wall(.microseconds(max(0, due.microseconds - clock.now().microseconds)))
        return min(interval, left)
    }
}
