import Foundation
public import LMDB
import Synchronization

/// Vigil's append-only event log on LMDB.
///
/// - Appends go through one writer that commits queued appends together, one transaction and one
///   fsync for many callers (``append(_:)``); each caller resumes only once its events are durable.
///   In an environment without fsync (``Environment/Options/unsafeNoSync``) a lone appender commits
///   on its own thread instead of handing the append to the writer's.
/// - Global positions are dense from 1 and equal commit order; stream versions are dense from 1.
/// - Every record carries a SHA-256 chain hash over its predecessor's hash and its own bytes.
/// - Reads never block the writer; long reads open a fresh snapshot every chunk.
///
/// ```swift
/// let store = try EventStore.open(directory: "vigil-data")
/// let result = try await store.append(AppendRequest(
///     events: [NewEvent(stream: "case-C-1", type: "RecoveryReported", occurredAt: now, actor: "user:7", payload: json)],
///     expectations: ["case-C-1": .noStream]))
/// for try await event in store.subscribe(after: 0) { … }
/// ```
public final class EventStore: Sendable {
    /// The format this build writes and the newest it reads.
    public static let formatVersion: UInt32 = 1

    /// How a store is opened.
    public struct Options: Sendable {
        /// LMDB environment options (initial map size, growth limit, …).
        public var environment: Environment.Options
        /// Where recordedAt comes from; the wall clock unless a test or replay gives another.
        public var clock: @Sendable () -> Timestamp
        /// The most events one group commit takes before it commits and starts the next.
        public var maxEventsPerCommit: Int
        /// Events read per read transaction by long reads and subscriptions.
        public var readChunkSize: Int
        /// Views kept in the append's own transaction (e.g. the timer index).
        public var inlineProjections: [any InlineProjection]
        /// Seeds the random bits of store-made event ids; with a virtual ``clock`` the same appends
        /// then get the same ids. `nil` (the default) uses the system's entropy.
        public var idSeed: UInt64?
        /// Open a directory marked as an incomplete backup (only ``BackupDirectory`` does, to check
        /// the copy it is making); otherwise such a directory is refused.
        public var openIncompleteBackup = false
        /// Called on the committing thread (the writer's, or a lone appender's in a store without
        /// fsync) after each durable group commit with the number of appends
        /// and of events it committed (for metrics; it must be quick and must not append).
        public var commitObserver: (@Sendable (_ appends: Int, _ events: Int) -> Void)?

        /// Default options.
        public init(
            environment: Environment.Options = Environment.Options(),
            clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
            maxEventsPerCommit: Int = 50_000,
            readChunkSize: Int = 1_024,
            inlineProjections: [any InlineProjection] = [],
            idSeed: UInt64? = nil
        ) {
            self.inlineProjections = inlineProjections
            self.idSeed = idSeed
            self.environment = environment
            self.clock = clock
            self.maxEventsPerCommit = maxEventsPerCommit
            self.readChunkSize = readChunkSize
        }
    }

    /// The LMDB environment.
    public let environment: Environment
    let databases: Databases
    let options: Options
    let writer: GroupCommitWriter
    let notifier: HeadNotifier
    let idGenerator: UUIDv7Generator
    /// Records read by stream (``scanStream(_:from:direction:limit:checking:_:)``) since the store
    /// opened: each lies on a page of its own somewhere in the file, so every ``PageBudget/standard``
    /// of them the store asks whether to let go of its mapped pages.
    let scatteredReads = Atomic<Int>(0)

    /// Opens the store in `directory`, creating it when missing (unless read-only).
    public static func open(directory: String, options: Options = Options()) throws -> EventStore {
        if !options.openIncompleteBackup { try refuseIncompleteBackup(directory) }
        do {
            let environment = try Environment.open(directory: directory, options: options.environment)
            let databases: Databases
            if options.environment.readOnly {
                databases = try environment.read { txn in try Databases(txn, create: false) }
                try environment.read { txn in for projection in options.inlineProjections { try projection.open(txn) } }
                try environment.read { txn in try checkFormat(txn, databases) }
            } else {
                databases = try environment.write { txn in
                    let dbs = try Databases(txn, create: true)
                    try checkFormat(txn, dbs)
                    for projection in options.inlineProjections { try projection.open(txn) }
                    return dbs
                }
                for projection in options.inlineProjections {
                    try catchUp(projection, environment: environment, dbs: databases, chunk: options.readChunkSize * 4)
                }
            }
            return EventStore(environment: environment, databases: databases, options: options)
        } catch let error as LMDBError where error.code == .notFound || error.code == .noSuchFile {
            throw EventStoreError(.notFound, "no Vigil store in \(directory)", cause: error)
        } catch {
            throw EventStoreError.storage(error)
        }
    }

    private init(environment: Environment, databases: Databases, options: Options) {
        self.environment = environment
        self.databases = databases
        self.options = options
        self.idGenerator = options.idSeed.map { UUIDv7Generator(seed: $0) } ?? UUIDv7Generator()
        let head = (try? Self.readHeadPosition(environment, databases)) ?? 0
        self.notifier = HeadNotifier(head: head)
        // Without fsync a commit never waits for the disk: a lone appender commits on its own thread.
        self.writer = GroupCommitWriter(
            maxEventsPerCommit: options.maxEventsPerCommit, commitsInCaller: environment.options.unsafeNoSync)
    }

    private static func checkFormat(_ txn: borrowing Transaction, _ dbs: Databases) throws {
        if let stored = try txn.get(dbs.meta, key: Keys.formatKey) {
            guard stored.count == 4 else {
                throw EventStoreError(.corrupted, "meta 'format' is \(stored.count) bytes, expected 4")
            }
            let version = stored.withUnsafeBytes { Bytes.loadLE($0, at: 0, as: UInt32.self) }
            guard version <= formatVersion else {
                throw EventStoreError(
                    .unsupportedFormat,
                    "the store was written in format \(version); this vigil reads formats up to \(formatVersion): upgrade vigil"
                )
            }
        } else if !txn.isReadOnly {
            var v = formatVersion.littleEndian
            try txn.put(dbs.meta, key: Keys.formatKey, value: withUnsafeBytes(of: &v) { Array($0) })
        }
    }

    static func readHeadPosition(_ environment: Environment, _ dbs: Databases) throws -> UInt64 {
        try environment.read { txn in
            try txn.withCursor(dbs.events) { cursor in
                try cursor.last().map { Bytes.loadBE($0.key) } ?? 0
            }
        }
    }
}

extension Timestamp {
    /// The wall clock, for the edges of the system (the store's recordedAt, the daemon, importers).
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microseconds: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000)
    }
}
