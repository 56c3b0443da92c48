import ArgumentParser
import EventStore
import FirstResponder
import Foundation
import VigilEngine

/// `vigil simulate --seed S --years Y [--cases-per-year N]`.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a realistic synthetic county into an empty store, through the real command path.",
        discussion: """
            Stations and areas, a roster on three shifts, recoveries with repeat recoveries of the same \
            youth, responses whose times straddle the 90-minute line, declines and escalations, the \
            72-hour milestones, arrests by role in operations, training sessions. Time is virtual and \
            ids are seeded: the same seed gives the same log, byte for byte (same chain head). With \
            --until T only the steps before T are written, and the scenario is kept in DIR/simulation.json: \
            'vigil serve --simulate' plays the rest live.

            To fill a new store fast, commands are committed without an fsync each, LMDB writes their \
            pages in place in its memory map (MDB_WRITEMAP: the data file is made as large as the map \
            at once, sparse), and the whole log is synced once at the end: a simulation interrupted (or \
            a machine that crashes) before it reports done leaves a store to delete and simulate again.
            """
    )

    @OptionGroup var store: DataOptions

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: "Years to simulate (default 1; not with --days).")
    var years: Int?

    @Option(help: "Simulate this many days instead of whole years (for quick demos and tests; not with --years).")
    var days: Int?

    @Option(help: "Recoveries a year.")
    var casesPerYear = 750

    @Option(help: "The first day (RFC 3339).")
    var start = "2026-01-01T00:00:00Z"

    @Option(
        help: ArgumentHelp(
            "Write only the steps before this time (RFC 3339) and keep the scenario for 'vigil serve --simulate'.",
            valueName: "TIME"))
    var until: String?

    func validate() throws {
        if years != nil && days != nil {
            throw ValidationError(
                "--years and --days exclude each other: give one (a period of whole years, or of days)")
        }
        if let years, !(1...20).contains(years) { throw ValidationError("--years: expected 1 to 20, got \(years)") }
        if let days, !(1...7_300).contains(days) { throw ValidationError("--days: expected 1 to 7300, got \(days)") }
        guard (1...100_000).contains(casesPerYear) else {
            throw ValidationError("--cases-per-year: expected 1 to 100000, got \(casesPerYear)")
        }
        guard let first = Timestamp(rfc3339: start) else {
            throw ValidationError("--start: expected an RFC 3339 timestamp like 2026-01-01T00:00:00Z, got '\(start)'")
        }
        if let until {
            guard let end = Timestamp(rfc3339: until) else {
                throw ValidationError(
                    "--until: expected an RFC 3339 timestamp like 2026-03-01T00:00:00Z, got '\(until)'")
            }
            guard end > first else {
                throw ValidationError("--until: expected a time after --start (\(start)), got \(until)")
            }
        }
    }

    func run() async throws {
        let first = Timestamp(rfc3339: start)!
        let clock = VirtualClock(first)
        var options = Engine.Options(clock: clock.now, idSeed: seed)
        // A simulation only ever fills an empty store (refused below otherwise), so it commits
        // without an fsync per command and syncs once at the end: if it is interrupted, the store
        // is not a county's log to keep but a half-made one to delete and simulate again.
        options.unsafeNoSync = true
        // …and LMDB writes each commit's pages in place in its map (no copy and pwrite per command).
        options.fillWriteMap = true
        let engine = try store.engine(options)
        defer { engine.close() }
        guard let timers = engine.timers else { throw CLIError("the store opened without its timer index") }
        guard try engine.store.head().position == 0 else {
            throw CLIError("--data \(store.data) already holds events: a simulation writes into an empty store")
        }
        let began = ContinuousClock.now
        let scenario =
            days.map { Scenario(seed: seed, start: first, days: $0, casesPerYear: casesPerYear) }
            ?? Scenario(seed: seed, start: first, years: years ?? 1, casesPerYear: casesPerYear)
        let span = days.map { "\($0) day(s)" } ?? "\(years ?? 1) year(s)"
        printError("simulating \(span) from \(start), seed \(seed): \(scenario.steps.count) steps")
        let cutoff = until.flatMap(Timestamp.init(rfc3339:))
        let steps = cutoff.map { end in scenario.steps.filter { $0.at < end } } ?? scenario.steps
        if let until {
            printError("writing the \(steps.count) steps before \(until); the rest is for 'vigil serve --simulate'")
        }
        let simulator = Simulator(handler: engine.commands, timers: timers, clock: clock)
        let progress = Progress("simulate", total: UInt64(steps.count), unit: .steps)
        let summary = try await simulator.run(steps, from: first) { done, _ in progress.update(UInt64(done)) }
        progress.finish()
        try engine.sync()
        if let cutoff {
            let plan = SimulationPlan(
                seed: seed, start: first, days: days ?? (years ?? 1) * 365, casesPerYear: casesPerYear, until: cutoff)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let path = store.data + "/" + SimulationPlan.fileName
            guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(plan)) else {
                throw CLIError("cannot write \(path)")
            }
        }
        let seconds = (ContinuousClock.now - began).seconds
        let events = summary.head.position
        say(
            "simulated \(summary.recoveries) recoveries of \(summary.uniqueYouth) youth: \(summary.head.position) events, \(summary.commands) commands, \(summary.timersFired) timers fired"
        )
        if !summary.refused.isEmpty {
            let refused = summary.refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", ")
            say("refused by the protocol (counted, skipped): \(refused)")
        }
        say(
            "head \(summary.head.position) \(summary.head.hashHex) in \((seconds * 10).rounded() / 10) s (\(Int(Double(events) / max(seconds, 1e-9))) events/s)"
        )
    }
}
