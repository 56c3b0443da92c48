public import EventStore
import Foundation
import LMDB

/// Views folded from the first position through a past one into a scratch LMDB environment of
/// their own — an as-of replay whose memory does not grow with the log: the fold's tables keep a
/// bounded cache (``RowFlush/cacheLimit``) over scratch databases written a batch at a time, with
/// the same row codecs as the stored views, and the pages of the log and of the scratch read so far
/// are let go after each batch. Queries read it like stored views, each call in a read transaction
/// of its own (nothing writes the scratch once it is folded).
///
/// The scratch lives in a new private directory under `$TMPDIR` (`/tmp` by default) whose files are
/// unlinked as soon as they are open: nothing of it outlives the process, even one that is killed.
/// It is gone once the last reference to the `ScratchViews` is.
///
/// ```swift
/// let past = try ScratchViews.fold(store, kinds: ProjectionCatalog.all, through: 250_000, recordedAt: nil)
/// let board = try CaseBoardQuery().run(past)
/// ```
public final class ScratchViews: ViewReader {
    public let position: UInt64
    public let recordedAt: Timestamp?
    public let head: UInt64
    private let environment: Environment
    private let databases: [String: Database]

    /// Events folded between two writes of the scratch: what bounds the fold's memory.
    public static let batchSize: UInt64 = 65_536

    /// Folds `kinds` from the first position through `position` into a new scratch; `recordedAt` is
    /// the moment the figures are as known at. `progress` is told (position reached, target) after
    /// each batch. `cacheLimit` (rows a table keeps cached between batches; the runner's by default)
    /// and `batchSize` bound the rows held in memory (smaller values are for tests: the rows are the
    /// same). The scratch's directory is made in `parent` (`$TMPDIR`, or
    /// `/tmp`, by default). `lanes` is the number of threads the views are folded on, each with its
    /// own share of them (``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``).
    public static func fold(
        _ store: EventStore, kinds: [any Projection.Type], through position: UInt64, recordedAt: Timestamp?,
        cacheLimit: Int? = nil, batchSize: UInt64 = batchSize, parent: String? = nil,
        lanes: Int = Fold.defaultLanes, progress: ((UInt64, UInt64) -> Void)? = nil
    ) throws -> ScratchViews {
        let environment = try makeEnvironment(databases: kinds.count, parent: parent)
        let databases = try environment.write { txn in
            var out: [String: Database] = [:]
            for kind in kinds { out[kind.name] = try txn.openDatabase("view.\(kind.name)", flags: .create) }
            return out
        }
        _ = try Fold.intoEmpty(
            store, kinds, through: position, batchSize: batchSize, lanes: lanes,
            cacheLimit: cacheLimit ?? RowFlush.cacheLimit, environment: environment,
            clear: { kind in
                let database = databases[kind.name]!
                try environment.write { txn in try txn.clear(database) }
                return database
            }, write: { body in try environment.write(body) },
            // The pages the batch wrote and read back are not needed again.
            afterFlush: { environment.releaseResidentPagesIfGrown() }, progress: progress)
        return ScratchViews(
            position: position, recordedAt: recordedAt, head: position, environment: environment,
            databases: databases)
    }

    private init(
        position: UInt64, recordedAt: Timestamp?, head: UInt64, environment: Environment,
        databases: [String: Database]
    ) {
        self.position = position
        self.recordedAt = recordedAt
        self.head = head
        self.environment = environment
        self.databases = databases
    }

    /// A new environment in a private temporary directory, its files unlinked once open (LMDB keeps
    /// them through its descriptors and its map). Commits are not synced: the scratch is thrown away.
    private static func makeEnvironment(databases: Int, parent: String?) throws -> Environment {
        let base =
            parent ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast())
        template.append(contentsOf: Array("vigil-as-of.XXXXXX".utf8CString))
        guard let made = mkdtemp(&template) else {
            throw ProjectionError(
                .scratch, "cannot make a scratch directory under \(base): \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        defer {
            for name in ["data.mdb", "lock.mdb", "vigil.lock"] { unlink(directory + "/" + name) }
            rmdir(directory)
        }
        return try Environment.open(
            directory: directory,
            options: Environment.Options(maxDatabases: UInt32(databases + 1), unsafeNoSync: true))
    }

    public func row<Row>(_ table: TableRef<Row>, _ key: String) throws -> Row? {
        try reading { try $0.row(table, key) }
    }

    public func scan<Row>(_ table: TableRef<Row>, from start: String, _ body: (String, Row) throws -> Bool) throws {
        try reading { try $0.scan(table, from: start, body) }
    }

    /// Whether the scratch holds `projection`'s rows.
    public func contains(projection: String) -> Bool { databases[projection] != nil }

    private func reading<R>(_ body: (StoredViewReader) throws -> R) throws -> R {
        try environment.read { txn in
            try withUnsafePointer(to: txn) { pointer in
                try body(
                    StoredViewReader(
                        position: position, recordedAt: recordedAt, head: head, databases: databases,
                        transaction: pointer))
            }
        }
    }
}
