import ArgumentParser
import DispatchServer
import EventStore
import FirstResponder
import Foundation
import Logging
import VigilEngine

extension BenchCommand {
    /// `vigil bench load`: the daemon under concurrent clients over HTTP on loopback.
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load the daemon over HTTP on 127.0.0.1: concurrent desks reporting recoveries and acting on them.",
            discussion: """
                Starts 'vigil serve' on a fresh data directory and a free loopback port, sets up a roster \
                (a supervisor's change-policy, register-responder and schedule-shift), then runs --clients \
                desks, each on its own thread and keep-alive connection, taking case after case through \
                report-recovery, request-response, assign-by-policy, acknowledge, en-route, arrive and clear \
                until --duration seconds or --max-commands have passed. Each desk leaves its first \
                --unacknowledged cases unacknowledged, so their acknowledgement timers fire during the run.

                With --rate R the load is an open loop: recoveries come in on a fixed schedule, R commands \
                per second from all desks together (a case is 7 commands; each desk starts one every \
                7 × --clients / R seconds, the desks spread evenly), whatever the daemon's latency; a desk \
                still busy when its next case is due starts it late, and that case's latencies count from \
                when it was due. Run a few rates to find the highest one the daemon sustains within a p99 \
                (scripts/load-test --rates does). Without --rate each desk starts its next case as soon as \
                the last is done: the desks offer as much as the daemon takes, and latency at that \
                saturation is mostly queueing.

                With --kill-after S the daemon is killed with SIGKILL S seconds in and started again; the \
                desks retry what was in flight with the same Idempotency-Key. At the end the daemon is \
                stopped with SIGTERM and the run fails unless every event of every 2xx answer is in the log \
                at the position the answer gave, 'vigil verify' passes, and no command failed. Latencies \
                are nearest-rank percentiles; the speed targets are reported, not enforced.

                With --attach PORT the desks load a daemon already running on 127.0.0.1:PORT (scripts/soak \
                does this while it kills the daemon and fills its disk): the roster is registered with the \
                --tokens file's supervisor token under the daemon's own policy, times come from the daemon's \
                clock, refusals are counted by kind and unanswered commands sent again with the same key, and \
                every acknowledged event is written to --acknowledged for the caller to check against the log.
                """
        )

        @Option(help: "Concurrent clients (desks), each with its own connection and thread.")
        var clients = 32
        @Option(help: "Seconds to run (no new case starts after it).")
        var duration = 30.0
        @Option(help: "At most this many commands in all.")
        var maxCommands = 2_000_000
        @Option(
            help: ArgumentHelp(
                "Offer this many commands per second from all desks together, on a fixed schedule (open loop); without it, as many as the daemon answers.",
                valueName: "R"))
        var rate: Double?
        @Option(help: "Advocates per desk.")
        var responders = 4
        @Option(help: "Cases each desk leaves unacknowledged (their acknowledgement timers fire).")
        var unacknowledged = 0
        @Option(help: "The policy's acknowledgement timeout in seconds (30 to 3600).")
        var ackTimeout = 30
        @Option(help: "Kill the daemon with SIGKILL this many seconds in, then start it again.")
        var killAfter: Double?
        @Option(
            help: ArgumentHelp(
                "Keep the run's data directory and daemon log here (must not exist); a temporary one, removed, when omitted.",
                valueName: "DIR"))
        var work: String?
        @Option(
            help: ArgumentHelp(
                "Load the daemon already running on 127.0.0.1:PORT instead of starting one (scripts/soak's): nothing of it is touched but through HTTP.",
                valueName: "PORT"))
        var attach: Int?
        @Option(
            help: ArgumentHelp(
                #"With --attach: a JSON file of bearer tokens by role, {"supervisor": …, "dispatcher": …, "admin": …} (admin optional, for /metrics)."#,
                valueName: "FILE"))
        var tokens: String?
        @Option(
            help: ArgumentHelp(
                #"With --attach: write every acknowledged event to FILE, one {"id", "position"} per line."#,
                valueName: "FILE"))
        var acknowledged: String?
        @Option(
            help: ArgumentHelp(
                "The daemon's log level: warning (the default) logs almost nothing; info logs every command, as `vigil serve` does by default and deploy/vigil.service runs it (JSON lines, here to the work directory's log).",
                valueName: "LEVEL"))
        var daemonLogLevel = "warning"
        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard (1...512).contains(clients) else {
                throw ValidationError("--clients: expected 1 to 512, got \(clients)")
            }
            guard duration > 0 && duration <= 3600 else {
                throw ValidationError("--duration: expected more than 0 and at most 3600 seconds, got \(duration)")
            }
            guard Logger.Level(rawValue: daemonLogLevel) != nil else {
                throw ValidationError(
                    "--daemon-log-level: expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \(daemonLogLevel)"
                )
            }
            if let rate, !(rate >= 1 && rate <= 100_000) {
                throw ValidationError("--rate: expected 1 to 100000 commands per second, got \(rate)")
            }
            guard maxCommands >= 1 else {
                throw ValidationError("--max-commands: expected 1 or more, got \(maxCommands)")
            }
            guard (1...50).contains(responders) else {
                throw ValidationError("--responders: expected 1 to 50, got \(responders)")
            }
            guard unacknowledged >= 0 && unacknowledged < responders else {
                throw ValidationError(
                    "--unacknowledged: expected 0 to --responders − 1 (\(responders - 1)), got \(unacknowledged)")
            }
            guard (30...3600).contains(ackTimeout) else {
                throw ValidationError(
                    "--ack-timeout: expected 30 to 3600 seconds (the policy's bounds), got \(ackTimeout)")
            }
            if let killAfter, !(killAfter > 0 && killAfter < duration) {
                throw ValidationError(
                    "--kill-after: expected more than 0 and less than --duration (\(duration)), got \(killAfter)")
            }
            if let work, FileManager.default.fileExists(atPath: work) {
                throw ValidationError("--work: \(work) exists; name a new directory")
            }
            if let attach {
                guard (1...65_535).contains(attach) else {
                    throw ValidationError("--attach: expected a port from 1 to 65535, got \(attach)")
                }
                guard tokens != nil else { throw ValidationError("--attach needs --tokens FILE") }
                guard killAfter == nil, work == nil, unacknowledged == 0, daemonLogLevel == "warning" else {
                    throw ValidationError(
                        "--attach: --kill-after, --work, --unacknowledged and --daemon-log-level are for a daemon the load starts itself"
                    )
                }
            } else if tokens != nil || acknowledged != nil {
                throw ValidationError("--tokens and --acknowledged go with --attach")
            }
        }

        /// With `--rate`: when each desk's cases are due, from `start`.
        func schedule(start: ContinuousClock.Instant) -> LoadSchedule? {
            rate.map { LoadSchedule(rate: $0, clients: clients, start: start) }
        }

        func run() throws {
            if let attach {
                try LoadAttachRun(options: self, port: UInt16(attach)).execute()
                return
            }
            let directory = work ?? NSTemporaryDirectory() + "vigil-load-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            defer { if work == nil { try? FileManager.default.removeItem(atPath: directory) } }
            var run = LoadRun(options: self, directory: directory)
            try run.execute()
        }
    }
}

/// One `vigil bench load` run, step by step.
struct LoadRun {
    let options: BenchCommand.Load
    let data: String
    let logPath: String

    init(options: BenchCommand.Load, directory: String) {
        self.options = options
        data = directory + "/data"
        logPath = directory + "/serve.log"
    }

    mutating func execute() throws {
        let tokens = try [Role.supervisor, .dispatcher, .admin].map { role in
            try TokenFile.create(in: data, actor: "user:load-\(role.rawValue)", role: role).token
        }
        let (supervisor, dispatcher, admin) = (tokens[0], tokens[1], tokens[2])
        // The county's reference data first, as a county loads it before its first recovery.
        guard try DaemonProcess.vigil(["setup", "county", "--data", data, "los-angeles"]) == 0 else {
            throw CLIError("load: vigil setup county failed on \(data)")
        }
        let stations = try CountyList.shipped("los-angeles.json").stations.map {
            (station: $0.station, agency: $0.agency.rawValue, area: $0.area.rawValue)
        }
        // The machine's speed before the load and after it (CPUCalibration): this VM's drifts.
        let calibrationBefore = CPUCalibration.milliseconds()
        let memoryBefore = CPUCalibration.memoryMilliseconds()
        let diskBefore = DiskCalibration.milliseconds(in: data)
        let daemon = try DaemonProcess(
            data: data, port: try DaemonProcess.freePort(), logPath: logPath, logLevel: options.daemonLogLevel)
        try daemon.start()
        var stopped = false
        defer { if !stopped { daemon.kill() } }

        let county = LoadCounty(
            clients: options.clients, respondersPerClient: options.responders, ackTimeoutSeconds: options.ackTimeout,
            tag: Self.tag(), stations: stations)
        let setupHead = try LoadSetUp.roster(
            county, port: daemon.port, token: supervisor, policy: true,
            shiftStart: Timestamp.now().adding(seconds: -600))

        // The load.
        let started = ContinuousClock.now
        let startedAt = Timestamp.now()
        let cpuAtStart = (daemon: daemon.cpuSeconds, client: ProcessCPU.ownSeconds())
        let writtenAtStart = daemon.writtenBytes
        let limits = LoadLimits(
            deadline: started + .seconds(options.duration), maxCommands: options.maxCommands, reconnectSeconds: 120,
            schedule: options.schedule(start: started))
        let clients = (0..<options.clients).map {
            LoadClient(
                index: $0, county: county, port: daemon.port, token: dispatcher, limits: limits,
                unacknowledgedCases: options.unacknowledged)
        }
        let group = LoadClient.start(clients)
        var outages: [ClosedRange<Timestamp>] = []
        var commits = Commits()
        if let killAfter = options.killAfter {
            Thread.sleep(until: Date(timeIntervalSinceNow: max(0, killAfter - (ContinuousClock.now - started).seconds)))
            commits += Commits.scrape(port: daemon.port, token: admin)
            let killed = Timestamp.now()
            daemon.kill()
            try daemon.start()
            outages.append(killed...Timestamp.now())
        }
        group.wait()
        let elapsed = (ContinuousClock.now - started).seconds
        // CPU spent on the load, per command answered; the daemon's only when it ran throughout.
        let cpuAtEnd = (daemon: daemon.cpuSeconds, client: ProcessCPU.ownSeconds())
        let writtenAtEnd = daemon.writtenBytes
        var tally = LoadTally()
        for client in clients { tally.merge(client.tally) }

        // The acknowledgement timers of the cases left unacknowledged fall due about --ack-timeout
        // seconds after the start: wait for them (and a little more) when the load ended sooner.
        if options.unacknowledged > 0 {
            let due = Double(options.ackTimeout) + 3 - (ContinuousClock.now - started).seconds
            if due > 0 { Thread.sleep(forTimeInterval: due) }
        }
        commits += Commits.scrape(port: daemon.port, token: admin)
        let status = try daemon.stop()
        stopped = true
        let calibrationAfter = CPUCalibration.milliseconds()
        let memoryAfter = CPUCalibration.memoryMilliseconds()
        let diskAfter = DiskCalibration.milliseconds(in: data)

        // The log, read with the daemon stopped.
        let engine = try DataOptions.parse(["--data", data]).engine(.readOnly)
        let missing = try LoadCheck.missing(tally.acknowledged, in: engine.store)
        let timers = try LoadCheck.timerDelays(in: engine.store, after: setupHead, outages: outages)
        let head = try engine.store.head().position
        engine.close()
        let verified = try DaemonProcess.vigil(["verify", "--data", data]) == 0

        let commands = Percentiles(nanoseconds: tally.commandNanos)
        let flow = Percentiles(nanoseconds: tally.flowNanos)
        let delays = Percentiles(nanoseconds: timers.delays)
        let rate = Double(tally.commandNanos.count) / max(elapsed, 1e-9)
        let perCommand = { (seconds: Double?) in (seconds ?? 0) * 1_000 / Double(max(1, tally.answered)) }
        let daemonCPU = outages.isEmpty ? cpuAtEnd.daemon.flatMap { end in cpuAtStart.daemon.map { end - $0 } } : nil
        let daemonWritten = outages.isEmpty ? writtenAtEnd.flatMap { end in writtenAtStart.map { end - $0 } } : nil
        var fields: [(String, BenchValue)] = [
            ("benchmark", .text("load")), ("clients", .int(options.clients)), ("seconds", .real(elapsed)),
            ("commands", .int(tally.answered)), ("commands_per_s", .int(Int(rate))),
        ]
        if let offered = options.rate { fields.append(("offered_per_s", .real(offered))) }
        fields += commands.fields("command")
        fields += [("flows", .int(flow.count))] + flow.fields("flow")
        fields += [("timers_fired", .int(delays.count))] + delays.fields("timer_delay")
        fields += [
            ("timers_caught_up", .int(timers.caughtUp)), ("cases_completed", .int(tally.casesCompleted)),
            ("unassigned", .int(tally.unassigned)), ("conflicts_409", .int(tally.conflicts)),
            ("appended_201", .int(tally.appended)), ("replayed_200", .int(tally.replayed)),
            ("connection_failures", .int(tally.connectionFailures)), ("errors", .int(tally.errors)),
            ("commits", .int(Int(commits.commits))), ("appends_per_commit", .real(commits.appendsPerCommit)),
            ("events_per_commit", .real(commits.eventsPerCommit)), ("killed", .int(outages.count)),
            ("outage_seconds", .real(outages.first.map { $0.lowerBound.seconds(until: $0.upperBound) } ?? 0)),
            ("acknowledged_events", .int(tally.acknowledged.count)), ("missing_events", .int(missing.count)),
            ("log_head", .int(Int(head))), ("verify", .text(verified ? "ok" : "failed")),
            ("client_cpu_ms_per_command", .real(perCommand(cpuAtEnd.client - cpuAtStart.client))),
            ("load_average", .text(Self.loadAverage())), ("started_at", .text(startedAt.rfc3339)),
            ("calibration_ms", .real(calibrationBefore)), ("calibration_after_ms", .real(calibrationAfter)),
            ("calibration_memory_ms", .real(memoryBefore)), ("calibration_memory_after_ms", .real(memoryAfter)),
        ]
        // A commit's worth of page writes and its fsync, before and after (DiskCalibration).
        if let diskBefore, let diskAfter {
            fields += [("commit_64_pages_ms", .real(diskBefore)), ("commit_64_pages_after_ms", .real(diskAfter))]
        }
        // A killed daemon's CPU is lost with it: reported only for a run without a kill.
        if let daemonCPU { fields.append(("daemon_cpu_ms_per_command", .real(perCommand(daemonCPU)))) }
        // What a command costs the disk: mostly the store's rewritten pages (ProcessIO).
        if let daemonWritten {
            fields.append(
                ("daemon_written_kib_per_command", .real(daemonWritten / 1_024 / Double(max(1, tally.answered)))))
        }
        report(options.json, fields)
        if !options.json {
            say(
                "targets:       \(rate >= 5_000 ? "met" : "missed") ≥ 5000 commands/s; "
                    + "\(commands.p99 <= 20 ? "met" : "missed") command p99 ≤ 20 ms; "
                    + "\(flow.p99 <= 50 ? "met" : "missed") flow p99 ≤ 50 ms; "
                    + "\(delays.count == 0 ? "no timer fired" : delays.max <= 1_000 ? "met" : "missed") timers within 1 s"
            )
            if let offered = options.rate {
                say(
                    "open loop:     \(Int(offered)) commands/s offered, \(Int(rate)) answered: "
                        + (rate >= 0.95 * offered ? "kept up" : "fell behind (latencies include the desks' wait)"))
            }
        }
        var failures: [String] = []
        if missing.count > 0 {
            failures.append(
                "\(missing.count) acknowledged events are not in the log: \(missing.examples.joined(separator: "; "))")
        }
        if !verified { failures.append("vigil verify failed on \(data)") }
        if tally.errors > 0 {
            failures.append("\(tally.errors) commands failed: \(tally.errorSamples.joined(separator: " | "))")
        }
        if status != 0 { failures.append("the daemon exited \(status) on SIGTERM (log: \(logPath))") }
        if tally.answered == 0 { failures.append("no command was answered") }
        if options.unacknowledged > 0 && delays.count == 0 && timers.caughtUp == 0 {
            failures.append("no acknowledgement timer fired")
        }
        if !failures.isEmpty { throw CLIError("load: " + failures.joined(separator: "\n")) }
    }

    /// Four letters and digits from the wall clock: ids of one run never meet another's.
    static func tag() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = Int(Timestamp.now().microseconds / 1_000) % (36 * 36 * 36 * 36)
        var text = ""
        for _ in 0..<4 {
            text.append(alphabet[n % 36])
            n /= 36
        }
        return text
    }

    /// The machine's load averages (1, 5, 15 minutes) as /proc/loadavg has them.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Group commits, from the daemon's `/metrics` (`vigil_commit_batch_appends` and `_events`).
struct Commits {
    var commits = 0.0
    var appends = 0.0
    var events = 0.0

    var appendsPerCommit: Double { commits > 0 ? appends / commits : 0 }
    var eventsPerCommit: Double { commits > 0 ? events / commits : 0 }

    static func += (a: inout Commits, b: Commits) {
        a.commits += b.commits
        a.appends += b.appends
        a.events += b.events
    }

    /// The daemon's counts since it started (zero if /metrics cannot be read).
    static func scrape(port: UInt16, token: String) -> Commits {
        let http = LoopbackHTTP(port: port)
        defer { http.close() }
        guard let response = try? http.send("GET", "/metrics", token: token), response.status == 200 else {
            return Commits()
        }
        var commits = Commits()
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            switch parts[0] {
            case "vigil_commit_batch_appends_count": commits.commits = value
            case "vigil_commit_batch_appends_sum": commits.appends = value
            case "vigil_commit_batch_events_sum": commits.events = value
            default: break
            }
        }
        return commits
    }
}
