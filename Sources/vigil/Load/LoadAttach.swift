import EventStore
import FirstResponder
import Foundation

/// `vigil bench load --attach PORT`: the same desks against a daemon already running on
/// 127.0.0.1 — `scripts/soak`'s, which kills it, fills its disk and checks its log itself.
///
/// Nothing of the daemon's is touched but through HTTP: no data directory, no kill, no stop. The
/// roster is registered with the supervisor token (the daemon's policy stands), times come from the
/// daemon's clock, refusals are tallied by kind and unanswered commands (5xx) sent again with the
/// same key (``LoadMode/attached``). At the end every acknowledged event goes to `--acknowledged`
/// (one `{"id", "position"}` per line) for the caller to find in the log; the run fails only when a
/// command errs (a daemon away longer than the reconnect window, an answer that is not a command
/// result) or nothing was answered.
struct LoadAttachRun {
    let options: BenchCommand.Load
    let port: UInt16
    /// How long a desk sends a command again while the daemon is away or answers 5xx.
    static let reconnectSeconds = 300.0

    /// The tokens file: a JSON object of bearer tokens by role.
    struct Tokens {
        let supervisor: String
        let dispatcher: String
        let admin: String?

        init(file path: String) throws {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("--tokens: cannot read \(path)")
            }
            guard let object = (try? JSONValue(parsing: Array(data)))?.objectValue else {
                throw CLIError(#"--tokens: \#(path) is not a JSON object like {"supervisor": "…", "dispatcher": "…"}"#)
            }
            func token(_ role: String) throws -> String? {
                guard let value = object[role] else { return nil }
                guard let text = value.stringValue, !text.isEmpty else {
                    throw CLIError("--tokens: \(path): \"\(role)\": expected a token (a non-empty string)")
                }
                return text
            }
            guard let supervisor = try token("supervisor"), let dispatcher = try token("dispatcher") else {
                throw CLIError(
                    #"--tokens: \#(path): expected "supervisor" and "dispatcher" tokens (and "admin" for /metrics)"#)
            }
            self.supervisor = supervisor
            self.dispatcher = dispatcher
            self.admin = try token("admin")
        }
    }

    func execute() throws {
        let tokens = try Tokens(file: options.tokens ?? "")
        let stations = try CountyList.shipped("los-angeles.json").stations.map {
            (station: $0.station, agency: $0.agency.rawValue, area: $0.area.rawValue)
        }
        let county = LoadCounty(
            clients: options.clients, respondersPerClient: options.responders, ackTimeoutSeconds: options.ackTimeout,
            tag: LoadRun.tag(), stations: stations)
        // Shifts long enough for the whole run on the daemon's clock, however fast it runs.
        let clock = try LoadSetUp.clock(port: port, token: tokens.dispatcher)
        let hours = max(12, Int64((options.duration * clock.rate / 3600).rounded(.up)) + 1)
        _ = try LoadSetUp.roster(
            county, port: port, token: tokens.supervisor, policy: false, shiftStart: clock.now.adding(seconds: -600),
            hours: hours)

        let started = ContinuousClock.now
        let before = tokens.admin.map { Commits.scrape(port: port, token: $0) }
        // An attached daemon is restarted by someone else, who may wait minutes for it on a loaded
        // machine (scripts/soak allows 300 s): the desks wait as long.
        let limits = LoadLimits(
            deadline: started + .seconds(options.duration), maxCommands: options.maxCommands,
            reconnectSeconds: Self.reconnectSeconds, schedule: options.schedule(start: started))
        let clients = (0..<options.clients).map {
            LoadClient(
                index: $0, county: county, port: port, token: tokens.dispatcher, limits: limits,
                unacknowledgedCases: 0, mode: .attached)
        }
        let group = LoadClient.start(clients)
        group.wait()
        let elapsed = (ContinuousClock.now - started).seconds
        var tally = LoadTally()
        for client in clients { tally.merge(client.tally) }
        if let path = options.acknowledged { try Self.write(tally.acknowledged, to: path) }

        let commands = Percentiles(nanoseconds: tally.commandNanos)
        let flow = Percentiles(nanoseconds: tally.flowNanos)
        var fields: [(String, BenchValue)] = [
            ("benchmark", .text("load")), ("attached", .int(Int(port))), ("clients", .int(options.clients)),
            ("seconds", .real(elapsed)), ("commands", .int(tally.answered)),
            ("commands_per_s", .int(Int(Double(tally.commandNanos.count) / max(elapsed, 1e-9)))),
        ]
        if let offered = options.rate { fields.append(("offered_per_s", .real(offered))) }
        fields += commands.fields("command")
        fields += [("flows", .int(flow.count))] + flow.fields("flow")
        fields += [
            ("cases_completed", .int(tally.casesCompleted)), ("unassigned", .int(tally.unassigned)),
            ("conflicts_409", .int(tally.conflicts)), ("appended_201", .int(tally.appended)),
            ("replayed_200", .int(tally.replayed)), ("refused", .int(tally.refused)),
            (
                "refusals",
                .text(
                    tally.refusals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
            ),
            ("server_errors", .int(tally.serverErrors)), ("connection_failures", .int(tally.connectionFailures)),
            ("errors", .int(tally.errors)), ("acknowledged_events", .int(tally.acknowledged.count)),
            ("load_average", .text(LoadRun.loadAverage())),
        ]
        if let before, let admin = tokens.admin {
            var commits = Commits.scrape(port: port, token: admin)
            // A restarted daemon counts from zero: only a run without one has a meaningful difference.
            if commits.commits >= before.commits {
                commits.commits -= before.commits
                commits.appends -= before.appends
                commits.events -= before.events
                fields += [
                    ("commits", .int(Int(commits.commits))), ("appends_per_commit", .real(commits.appendsPerCommit)),
                ]
            }
        }
        report(options.json, fields)
        var failures: [String] = []
        if tally.errors > 0 {
            failures.append("\(tally.errors) commands failed: \(tally.errorSamples.joined(separator: " | "))")
        }
        if tally.answered == 0 { failures.append("no command was answered") }
        if !failures.isEmpty { throw CLIError("load: " + failures.joined(separator: "\n")) }
    }

    /// One `{"id": "…", "position": N}` line per acknowledged event.
    private static func write(_ acknowledged: [(id: UUID, position: UInt64)], to path: String) throws {
        var text = ""
        text.reserveCapacity(acknowledged.count * 64)
        for (id, position) in acknowledged {
            text += #"{"id": "\#(id.lowercaseText)", "position": \#(position)}"# + "\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw CLIError("--acknowledged: cannot write \(path)")
        }
    }
}
