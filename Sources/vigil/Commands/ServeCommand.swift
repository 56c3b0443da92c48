import ArgumentParser
import DispatchServer
import Logging
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

    @Option(help: "Log lines as json (one object per line, for collectors) or text.")
    var logFormat: LogFormat = .json

    @Option(help: "The least severe log level written: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port: expected 0 to 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level: expected trace, debug, info, notice, warning, error or critical, got \(logLevel)")
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
        let engine = try store.engine(DispatchServer.engineOptions(masterKeyPath: keyFile))
        let server = DispatchServer(
            engine: engine, configuration: ServerConfiguration(host: host, port: port))
        try await server.application().runService()
    }
}

/// How `vigil serve` writes its log.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case text
}
