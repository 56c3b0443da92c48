public import EventStore
public import FirstResponder
public import Hummingbird
public import Logging
import NIOCore
public import VigilEngine

/// The dispatch daemon: Vigil's HTTP API over one ``Engine``, with the services that keep it live
/// (the timer loop on the wall clock) and a lifecycle that shuts down in order.
///
/// On SIGTERM or SIGINT the server stops accepting connections and finishes the requests in
/// flight, then the services stop in reverse order: the timer loop ends its pass, and last the
/// engine drains the writer's queue and closes LMDB. Nothing acknowledged is ever lost: a command
/// is answered only after its append is durable.
///
/// ```swift
/// let engine = try Engine.open(directory: "vigil-data")
/// let server = DispatchServer(engine: engine, configuration: .init(port: 8080))
/// try await server.application().runService()
/// ```
public struct DispatchServer: Sendable {
    /// The engine the server serves; the server closes it when it shuts down.
    public let engine: Engine
    /// Address, limits and timings.
    public let configuration: ServerConfiguration
    /// Where the server logs (structured, with each request's id).
    public let logger: Logger
    /// What the server and its services share: readiness and the services' progress.
    let state: ServerState
    /// The daemon's metrics.
    let metrics = ServerMetrics()
    /// Where the access log is appended: the engine's store, or a read-only replica's access store.
    let accessStore: EventStore

    /// A server over `engine`.
    ///
    /// A read-only replica (``ServerConfiguration/replica``, the engine opened read-only beside
    /// `vigil follow`) appends its access records to `accessStore`, a store of its own: appended to
    /// the replica, they would fork its chain from the leader's. The server closes it when it stops.
    public init(
        engine: Engine, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger? = nil,
        accessStore: EventStore? = nil
    ) {
        precondition(
            (configuration.replica == nil) == (accessStore == nil),
            "a read-only replica needs an access store of its own, and only it")
        self.engine = engine
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "vigil.serve")
        self.state = ServerState(storageFullHold: configuration.storageFullHold)
        self.accessStore = accessStore ?? engine.store
    }

    /// Engine options that feed the daemon's metrics (group commit sizes) and record on the daemon's
    /// `clock`; open the engine with them.
    public static func engineOptions(masterKeyPath: String? = nil, clock: ServerClock = .wall) -> Engine.Options {
        let metrics = ServerMetrics()
        var options = Engine.Options(masterKeyPath: masterKeyPath)
        options.commitObserver = { appends, events in metrics.committed(appends: appends, events: events) }
        if clock.rate != 1 { options.clock = { clock.now() } }
        return options
    }

    /// The application: the router with every route and middleware, and the services, in the
    /// order they must stop (the engine last). With `liveSteps` (a demonstration's simulated county,
    /// ``LiveSimulationService``) those steps are played on the daemon's clock, and stop first.
    public func application(liveSteps: [SimulatedStep] = []) -> some ApplicationProtocol {
        var app = Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "vigil"),
            onServerRunning: { [logger, engine] channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice(
                    "listening",
                    metadata: [
                        "address": .string("\(channel.localAddress?.ipAddress ?? "?"):\(port)"),
                        "port": .stringConvertible(port), "data": .string(engine.directory),
                    ])
            },
            logger: logger
        )
        app.addServices(EngineService(engine: engine, state: state, logger: logger))
        if let replica = configuration.replica {
            // The follower is the replica's only writer: no timers, checkpoints, folding or simulation.
            app.addServices(
                ReplicaService(
                    engine: engine, accessStore: accessStore, state: state, interval: replica.pollInterval,
                    logger: logger),
                LogMetricsService(engine: engine, metrics: metrics, logger: logger))
            return app
        }
        if let schedule = configuration.checkpoints {
            app.addServices(
                CheckpointService(engine: engine, schedule: schedule, clock: configuration.clock, logger: logger))
        }
        app.addServices(
            TimerLoopService(
                engine: engine, state: state, interval: configuration.timerInterval, clock: configuration.clock,
                metrics: metrics, logger: logger),
            ProjectionService(engine: engine, state: state, interval: configuration.viewsInterval, logger: logger),
            LogMetricsService(engine: engine, metrics: metrics, logger: logger)
        )
        if !liveSteps.isEmpty {
            app.addServices(
                LiveSimulationService(
                    engine: engine, steps: liveSteps, clock: configuration.clock, state: state, logger: logger))
        }
        return app
    }

    /// Every endpoint the router registers, in the order the OpenAPI document lists them.
    public static let endpoints: [Endpoint] =
        HealthRoutes.endpoints + IdentityRoutes.endpoints + CommandRoutes.endpoints + EventRoutes.endpoints
        + ViewRoutes.endpoints + BoardStreamRoutes.endpoints + CaseRoutes.endpoints + YouthRoutes.endpoints
        + AuditRoutes.endpoints
        + AccessRoutes.endpoints + ReportRoutes.endpoints
        + MetricsRoutes.endpoints + PageRoutes.endpoints

    /// The router: every route behind the middleware that every request passes through.
    func router() -> Router<VigilRequestContext> {
        let router = Router(context: VigilRequestContext.self)
        let clock = configuration.clock
        let accessLog = AccessLog(store: accessStore, clock: clock)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware(state: state, store: accessStore))
        router.add(middleware: AuthenticationMiddleware(tokens: TokenRegistry(directory: engine.directory)))
        router.add(
            middleware: ViewConsistencyMiddleware(
                consistency: ViewConsistency(
                    views: state.views, store: engine.store, limit: configuration.viewsWaitLimit)))
        HealthRoutes(engine: engine, state: state, accessLog: accessLog).register(on: router)
        IdentityRoutes(accessLog: accessLog, clock: clock).register(on: router)
        CommandRoutes(
            engine: engine, accessLog: accessLog, maxBodySize: configuration.maxBodySize, metrics: metrics,
            clock: clock,
            leader: configuration.replica?.leader
        ).register(on: router)
        EventRoutes(engine: engine, accessLog: accessLog, heartbeat: configuration.heartbeat).register(on: router)
        ViewRoutes(engine: engine, accessLog: accessLog, clock: clock).register(on: router)
        BoardStreamRoutes(
            engine: engine, clock: clock, state: state, accessLog: accessLog, heartbeat: configuration.heartbeat,
            recheck: configuration.boardRecheck
        ).register(on: router)
        CaseRoutes(engine: engine, accessLog: accessLog, clock: clock).register(on: router)
        YouthRoutes(engine: engine, accessLog: accessLog).register(on: router)
        AuditRoutes(engine: engine, accessLog: accessLog).register(on: router)
        AccessRoutes(accessLog: accessLog).register(on: router)
        ReportRoutes(engine: engine, accessLog: accessLog).register(on: router)
        MetricsRoutes(engine: engine, accessLog: accessLog, metrics: metrics, clock: clock).register(on: router)
        PageRoutes(accessLog: accessLog, files: .bundled).register(on: router)
        return router
    }
}
