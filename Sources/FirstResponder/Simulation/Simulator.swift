public import EventStore
import Foundation

/// Runs a ``Scenario`` through the real command path: every step becomes a command handled by
/// ``CommandHandler`` — built in Swift and checked against its schema as its JSON form would be
/// (the typed door; ``Simulator/commands(for:)``) — and before each step every
/// timer due by then is handled (`handle-timer-fired`), so acknowledgement timeouts escalate and the
/// 72-hour window closes as it would in the daemon. Time is the scenario's: the store should read
/// the same ``VirtualClock`` for recordedAt, and be opened with an id seed, so that the same seed
/// gives the same log byte for byte.
///
/// A step the protocol refuses when it comes (an arrival for a youth who went missing, a placement
/// for a case closed meanwhile) is counted by its rejection code and skipped — the county's people
/// make mistakes too — but a step that fails for any other reason stops the run.
public struct Simulator: Sendable {
    /// What a run did.
    public struct Summary: Sendable {
        /// Commands handled.
        public var commands = 0
        /// Commands the protocol refused, by rejection code.
        public var refused: [String: Int] = [:]
        /// Timers handled.
        public var timersFired = 0
        /// Recoveries reported.
        public var recoveries = 0
        /// Distinct youth among them.
        public var uniqueYouth = 0
        /// The log's head afterwards.
        public var head = LogHead(position: 0, hash: [UInt8](repeating: 0, count: 32))
    }

    let handler: CommandHandler
    let timers: TimerIndex
    let clock: VirtualClock

    /// A simulator appending through `handler` to a store kept with `timers`, reading `clock`.
    public init(handler: CommandHandler, timers: TimerIndex, clock: VirtualClock) {
        self.handler = handler
        self.timers = timers
        self.clock = clock
    }

    /// Registers the county, then runs every step; `progress` is told (steps done, steps in all) now
    /// and then.
    public func run(_ scenario: Scenario, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        try await run(scenario.steps, from: scenario.start, progress: progress)
    }

    /// Registers the county at `start` (the scenario's start), then runs `steps` (in time order: a
    /// scenario's, or the part of one before some instant); `progress` is told (steps done, steps in
    /// all) now and then.
    public func run(
        _ steps: [SimulatedStep], from start: Timestamp, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> Summary {
        var summary = Summary()
        var youth = Set<String>()
        var refusedTimers = Set<String>()
        summary.commands += try await registerCounty(at: start)
        for (index, step) in steps.enumerated() {
            try await fireTimers(upTo: step.at, &summary, &refusedTimers)
            clock.advance(to: step.at)
            if case .reportRecovery(let c) = step.action {
                summary.recoveries += 1
                youth.insert(c.youthRef)
            }
            let played = try await play(step)
            summary.commands += played.commands
            for code in played.refused { summary.refused[code, default: 0] += 1 }
            if index % 256 == 0 { progress?(index, steps.count) }
        }
        progress?(steps.count, steps.count)
        summary.uniqueYouth = youth.count
        summary.head = try handler.store.head()
        return summary
    }

    /// Runs one step's commands, without firing timers first (``run(_:progress:)`` fires them between
    /// steps; the daemon's timer loop does when it plays steps live): how many commands it ran, and the
    /// rejection codes of those the protocol refused. With `retrying`, a command the store fails to
    /// take (a full disk) is handed to it — which waits, or throws to give up — and then tried again,
    /// so a live county goes on where it stopped; without it, the failure is thrown.
    public func play(
        _ step: SimulatedStep, retrying: (@Sendable (any Error) async throws -> Void)? = nil
    ) async throws -> (commands: Int, refused: [String]) {
        let commands = try commands(for: step)
        var refused: [String] = []
        for command in commands {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    _ = try await handler.handle(try command())
                } catch let rejection as CommandRejection
                    where rejection.code == .streamVersionConflict && attempt < 3
                {
                    continue  // another writer (a live daemon's timer loop) moved a stream it read: decide again
                } catch let rejection as CommandRejection {
                    refused.append(rejection.code.name)
                } catch {
                    guard let retrying, !(error is CancellationError) else { throw error }
                    try await retrying(error)
                    continue
                }
                break
            }
        }
        return (commands.count, refused)
    }

    /// Registers the county the scenario runs in, before anything names it: the shipped Los Angeles
    /// County list (areas, agencies, stations) and the simulated training catalogue. Returns the
    /// commands run.
    private func registerCounty(at start: Timestamp) async throws -> Int {
        let envelope = CommandEnvelope(occurredAt: start, actor: "user:county-admin")
        var list = try CountyList.shipped("los-angeles.json")
        list.courses = County.courses.map { course in
            CourseRegistered(
                courseCode: course.code, title: course.title, audienceSector: AudienceSector(rawValue: course.audience))
        }
        return try await handler.registerCounty(list, envelope: envelope)
    }

    /// Handles every timer due by `t` (``CommandHandler/handleDueTimers(_:now:skipping:actor:before:)``);
    /// timers the protocol refuses are counted and not offered again.
    private func fireTimers(upTo t: Timestamp, _ summary: inout Summary, _ refusedTimers: inout Set<String>)
        async throws
    {
        let pass = try await handler.handleDueTimers(timers, now: t, skipping: refusedTimers) {
            clock.advance(to: $0.dueAt)
        }
        summary.timersFired += pass.handled.count
        summary.commands += pass.handled.count + pass.refused.count
        for (timer, rejection) in pass.refused {
            refusedTimers.insert(timer.timerId)
            summary.refused[rejection.code.name, default: 0] += 1
        }
    }
}
