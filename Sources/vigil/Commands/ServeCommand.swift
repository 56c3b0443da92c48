import ArgumentParser
import DispatchServer
import EventStore
import FirstResponder
import Foundation
import Logging
import Trust
import VigilEngine

/// `vigil serve`: the dispatch daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the dispatch daemon: the HTTP API, live updates, and the timer loop on the wall clock.",
        discussion: """
            Opens the data directory (creating it on first run) and listens on --host:--port \
            (127.0.0.1:8080 by default). Every endpoint but /healthz and /readyz needs a bearer token \
            ('vigil token create'). On start it fires every timer that fell due while it was down, then \
            fires each within a second of its due time. SIGTERM or SIGINT stops it gracefully: it stops \
            accepting, finishes the requests in flight, drains the writer and closes the store.

            With --checkpoint-key FILE (the county's Ed25519 key, 'vigil checkpoint new-key'), it signs \
            the log's head every --checkpoint-every seconds (300 by default) while events come, and once \
            more when it stops: a CheckpointSigned event, as 'vigil checkpoint sign' appends. A key that \
            cannot be used (missing, readable by others, inside the data directory, not Ed25519) refuses \
            the start. With --key-file, a sealing that a stop interrupted between destroying the personal \
            data and recording RecordSealed is finished before the daemon serves.

            With --read-only --leader URL --access-data DIR2, it serves the views, reports and audits of a \
            replica that 'vigil follow' keeps current in --data (the follower is its only writer): the store \
            is opened read-only, nothing fires, signs or folds, and views are read at the position the \
            follower brought them to. Every command is answered 503 naming the leader. Its access records go \
            to DIR2, a store of their own outside the replica (appended to the replica, they would fork its \
            chain from the leader's): 'vigil audit access --data DIR2' reads them, 'vigil verify --data DIR2' \
            checks their chain. The replica holds no personal-data vault (it is not replicated), so \
            identifying details are served by the leader only.

            For a demonstration, --simulate plays live the rest of the county that 'vigil simulate \
            --until T' wrote the past of (DIR/simulation.json), on a clock that starts where the log ends \
            and runs --speed times as fast as the wall clock: the daemon, its timers and its views all \
            read that clock. Never in service: it writes a simulated county into the data directory.
            """
    )

    @OptionGroup var store: DataOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "The personal-data vault's master key file; without it the daemon serves no identifying details and cannot seal.",
            valueName: "FILE"))
    var keyFile: String?

    @Option(
        help: ArgumentHelp(
            "The county's checkpoint signing key: sign the log's head on a schedule and at shutdown.",
            valueName: "FILE"))
    var checkpointKey: String?

    @Option(help: ArgumentHelp("With --checkpoint-key: seconds between checkpoints.", valueName: "SECONDS"))
    var checkpointEvery: Int?

    @Flag(help: "Serve a follower's replica in --data read-only (with --leader and --access-data).")
    var readOnly = false

    @Option(
        help: ArgumentHelp(
            "With --read-only: the leader's address, named in the 503 every command gets.", valueName: "URL"))
    var leader: String?

    @Option(
        help: ArgumentHelp(
            "With --read-only: the store the access log is written to, outside the replica (created when missing).",
            valueName: "DIR"))
    var accessData: String?

    @Option(help: "Log lines as json (one object per line, for collectors) or text.")
    var logFormat: LogFormat = .json

    @Option(help: "The least severe log level written: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Flag(help: "Demonstration: play the rest of the simulated county in DIR/simulation.json live.")
    var simulate = false

    @Option(help: "With --simulate: how many times as fast as the wall clock the daemon's clock runs.")
    var speed: Double = 60

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port: expected 0 to 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level: expected trace, debug, info, notice, warning, error or critical, got \(logLevel)")
        }
        guard speed > 0 && speed <= 10_000 else { throw ValidationError("--speed: expected 0 to 10000, got \(speed)") }
        if speed != 60 && !simulate { throw ValidationError("--speed goes with --simulate") }
        try validateReadOnly()
        if let checkpointEvery {
            guard checkpointKey != nil else { throw ValidationError("--checkpoint-every goes with --checkpoint-key") }
            guard (1...86_400).contains(checkpointEvery) else {
                throw ValidationError("--checkpoint-every: expected 1 to 86400 seconds, got \(checkpointEvery)")
            }
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // A key that cannot sign refuses the start, before anything is opened or written.
        let checkpoints = try checkpointKey.map { path in
            do {
                let key = try CheckpointSigningKey.load(path: path, outside: store.data)
                return CheckpointSchedule(key: key, interval: .seconds(checkpointEvery ?? 300))
            } catch {
                throw CLIError("--checkpoint-key: \(error)")
            }
        }
        var clock = ServerClock.wall
        var steps: [SimulatedStep] = []
        if simulate {
            let plan = try readPlan()
            guard let scenario = plan.scenario, let until = plan.untilInstant else {
                throw CLIError("\(store.data)/\(SimulationPlan.fileName): start and until must be RFC 3339 times")
            }
            // The clock starts where the log ends (or where the written past ends), so recordedAt never
            // goes back; the steps from there on are played live (one at that very instant is offered
            // again: the protocol refuses a repeat).
            let last = try lastRecordedAt()
            let start = max(last ?? until, until)
            clock = ServerClock(startingAt: start, rate: speed)
            steps = scenario.steps.filter { $0.at >= start }
        }
        if readOnly, let leader, let accessData {
            try await serveReplica(leader: leader, accessData: accessData)
            return
        }
        let engine = try store.engine(DispatchServer.engineOptions(masterKeyPath: keyFile, clock: clock))
        let logger = Logger(label: "vigil.serve")
        for seal in try await engine.commands.finishInterruptedSeals() {
            if seal.positions != nil {
                logger.notice("\(seal.summary)")
            } else {
                logger.error("\(seal.summary)")
            }
        }
        let server = DispatchServer(
            engine: engine,
            configuration: ServerConfiguration(host: host, port: port, clock: clock, checkpoints: checkpoints),
            logger: logger)
        try await server.application(liveSteps: steps).runService()
    }

    private func validateReadOnly() throws {
        guard readOnly else {
            if leader != nil { throw ValidationError("--leader goes with --read-only") }
            if accessData != nil { throw ValidationError("--access-data goes with --read-only") }
            return
        }
        guard let leader else {
            throw ValidationError("--read-only needs --leader URL: the leader every command is sent back to")
        }
        guard let url = URL(string: leader), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError(
                "--leader: expected the leader's http(s) address such as http://10.0.0.5:8080, got \(leader)")
        }
        guard accessData != nil else {
            throw ValidationError(
                "--read-only needs --access-data DIR: the store its access log is written to, outside the replica")
        }
        for (given, option) in [(keyFile, "--key-file"), (checkpointKey, "--checkpoint-key")] where given != nil {
            throw ValidationError("\(option) cannot go with --read-only: a replica writes nothing into its log")
        }
        if simulate { throw ValidationError("--simulate cannot go with --read-only") }
    }

    /// Serves the replica in --data read-only, its access log in `accessData`.
    private func serveReplica(leader: String, accessData: String) async throws {
        let engine = try store.engine(.readOnly)
        let accessStore: EventStore
        do {
            accessStore = try ReplicaAccessStore.open(accessData, replica: store.data)
        } catch {
            engine.close()
            throw error
        }
        let server = DispatchServer(
            engine: engine,
            configuration: ServerConfiguration(host: host, port: port, replica: ReplicaServing(leader: leader)),
            logger: Logger(label: "vigil.serve"), accessStore: accessStore)
        try await server.application().runService()
    }

    private func readPlan() throws -> SimulationPlan {
        let path = store.data + "/" + SimulationPlan.fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(
                "--simulate: no \(path): write a county's past first with 'vigil simulate --until T' (scripts/demo does)"
            )
        }
        do {
            return try JSONDecoder().decode(SimulationPlan.self, from: data)
        } catch {
            throw CLIError("--simulate: \(path) is not a simulation plan: \(error)")
        }
    }

    /// When the log's last event was recorded, or `nil` for an empty or missing store.
    private func lastRecordedAt() throws -> Timestamp? {
        guard FileManager.default.fileExists(atPath: store.data) else { return nil }
        let engine = try store.engine(.readOnly)
        defer { engine.close() }
        let head = try engine.store.head().position
        return head == 0 ? nil : try engine.store.event(at: head)?.recordedAt
    }
}

/// How `vigil serve` writes its log.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case text
}
