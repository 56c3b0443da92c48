public import EventStore
public import FirstResponder
public import Projections

/// The composition root: one data directory opened as everything Vigil is made of — the event log
/// with the domain's inline views (the durable timer index), the personal-data vault when a master
/// key is given, the command handler that decides and appends protocol commands, and the runner
/// that keeps the views for people (``ProjectionRunner``) current.
///
/// Every entry point (each `vigil` subcommand, the daemon, tests) opens the data through an
/// `Engine`, so the store is always opened with the same inline views and the same wiring: a
/// process that appends domain events without the timer index would leave timers unscheduled.
///
/// ```swift
/// let engine = try Engine.open(directory: "vigil-data", options: .init(masterKeyPath: "/etc/vigil/master.key"))
/// defer { engine.close() }
/// let result = try await engine.commands.handle(json: Array(line))
/// let due = try engine.dueTimers(asOf: now)
/// ```
public final class Engine: Sendable {
    /// The data directory.
    public let directory: String
    /// How it was opened.
    public let options: Options
    /// The event log.
    public let store: EventStore
    /// The durable timer index (an inline view of the log), when the engine keeps domain views.
    public let timers: TimerIndex?
    /// The personal-data vault, when a master key was given.
    public let vault: PersonalDataVault?
    /// Decides and appends protocol commands against the log.
    public let commands: CommandHandler
    /// Keeps the views for people (case board, response times, roster, …) current and reads them.
    public let projections: ProjectionRunner

    private init(
        directory: String, options: Options, store: EventStore, timers: TimerIndex?, vault: PersonalDataVault?,
        projections: ProjectionRunner
    ) {
        self.directory = directory
        self.options = options
        self.store = store
        self.timers = timers
        self.vault = vault
        // Commands are received on the same clock the log records them on.
        self.commands = CommandHandler(
            store: store, vault: vault, clock: options.clock ?? { Timestamp.now() },
            clockSkewSeconds: options.clockSkewSeconds)
        self.projections = projections
    }

    /// Opens the data in `directory`.
    ///
    /// Throws ``EngineError``: ``EngineError/Code/notFound`` when a read-only engine finds no store,
    /// ``EngineError/Code/store`` when the store cannot be opened, ``EngineError/Code/vault`` when the
    /// master key file cannot be used.
    public static func open(directory: String, options: Options = Options()) throws(EngineError) -> Engine {
        let readOnly = options.access == .readOnly
        // A read-only engine opens the timer index only where one exists (a store written by
        // `vigil bench` has none); a writing engine always keeps it.
        let timers: TimerIndex? = options.domainViews ? TimerIndex() : nil
        var storeOptions = EventStore.Options(idSeed: options.idSeed)
        storeOptions.environment.readOnly = readOnly
        storeOptions.environment.unsafeNoSync = options.unsafeNoSync
        storeOptions.environment.writeMap = options.unsafeNoSync && options.fillWriteMap
        if let size = options.initialMapSize { storeOptions.environment.mapSize = size }
        if let size = options.maxMapSize { storeOptions.environment.maxMapSize = size }
        if let clock = options.clock { storeOptions.clock = clock }
        if let timers { storeOptions.inlineProjections = [timers] }
        storeOptions.commitObserver = options.commitObserver
        let store: EventStore
        let withViews: Bool
        do {
            (store, withViews) = try openStore(directory, storeOptions, retryWithoutViews: readOnly)
        } catch let error as EventStoreError where error.code == .notFound {
            throw EngineError(
                .notFound, "no Vigil store in \(directory): give --data DIR, or create one with 'vigil import'",
                cause: error)
        } catch {
            throw EngineError(
                .store, "cannot open the store in \(directory): \(error)", cause: error as? EventStoreError)
        }
        var vault: PersonalDataVault?
        if let keyPath = options.masterKeyPath {
            do {
                vault = try PersonalDataVault.open(
                    environment: store.environment, masterKey: try MasterKey.load(path: keyPath))
            } catch {
                store.close()
                let damaged = (error as? VaultError)?.code == .corrupted
                throw EngineError(.vault, damaged ? "\(error)" : "--key-file: \(error)", cause: error)
            }
        }
        let projections: ProjectionRunner
        do {
            projections = try ProjectionRunner(store: store)
        } catch {
            store.close()
            throw EngineError(
                .store, "cannot open the views in \(directory): \(error)", cause: error as? EventStoreError)
        }
        return Engine(
            directory: directory, options: options, store: store, timers: withViews ? timers : nil, vault: vault,
            projections: projections)
    }

    /// Opens the store. A read-only open of a store without a timer index (one written by the
    /// store-level tools) opens it without; if that fails too, its error is the one that counts.
    private static func openStore(_ directory: String, _ options: EventStore.Options, retryWithoutViews: Bool) throws
        -> (EventStore, withViews: Bool)
    {
        do {
            return (try EventStore.open(directory: directory, options: options), !options.inlineProjections.isEmpty)
        } catch  where retryWithoutViews && !options.inlineProjections.isEmpty {
            var bare = options
            bare.inlineProjections = []
            return (try EventStore.open(directory: directory, options: bare), false)
        }
    }

    /// Fires every case timer due at or before `now` through the one timer loop
    /// (``CommandHandler/handleDueTimers(_:now:skipping:actor:concurrency:before:)``): each timer's
    /// `TimerFired` and its reaction in one append, timers of different cases up to `concurrency` at
    /// once. The daemon calls it on the wall clock, the simulator on its virtual one. An engine
    /// without a timer index (read-only on a store-level log) fires nothing.
    public func fireDueTimers(now: Timestamp, skipping: Set<String> = [], concurrency: Int = 1) async throws
        -> CommandHandler.TimerPass
    {
        guard let timers else { return CommandHandler.TimerPass() }
        return try await commands.handleDueTimers(timers, now: now, skipping: skipping, concurrency: concurrency)
    }

    /// When the earliest pending case timer not in `skipping` falls due, if any: the daemon's timer
    /// loop sleeps until then rather than looking again and again.
    public func nextTimerDue(skipping: Set<String> = []) throws -> Timestamp? {
        try timers?.pending(limit: skipping.count + 1, skipping: skipping, in: store.environment).first?.dueAt
    }

    /// Forces every commit to disk: for an engine opened with ``Options/unsafeNoSync`` (a simulation
    /// filling a new store), once at the end, so the whole log is durable when it reports done.
    public func sync() throws {
        try store.environment.sync()
    }

    /// Finishes queued appends and closes the store.
    public func close() {
        store.close()
    }
}
