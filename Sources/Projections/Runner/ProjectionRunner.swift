public import EventStore
import Foundation
import LMDB

/// Keeps a store's projections current: one scan of the log from the lowest checkpoint, each event
/// decoded once and fed to every projection that has not folded it yet, and every batch's changed
/// rows written with each projection's new checkpoint in **one transaction** — so a crash leaves
/// every view exactly at its checkpoint, and the next run resumes from there.
///
/// A projection whose stored rows were folded by another version of it (or never stored) is
/// rebuilt (``rebuild(_:progress:)``) before it is caught up. Two processes may run runners on the
/// same store: each batch checks the stored checkpoint is still the one it started from, and a
/// runner that finds another moved it forgets what it folded and starts again from the new one.
///
/// ```swift
/// let runner = try ProjectionRunner(store: store)
/// try runner.catchUp()
/// let snapshot = try runner.snapshot()
/// let board = try CaseBoardQuery(now: snapshot.recordedAt!).run(snapshot)
/// ```
///
/// Thread-safe: one operation at a time (a lock); views are read through ``snapshot(_:)`` while a
/// catch-up runs, and see the last committed batch.
public final class ProjectionRunner: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    /// The store.
    public let store: EventStore
    /// The projections this runner keeps.
    public let kinds: [any Projection.Type]
    let storage: ViewStorage
    private let lock = NSLock()
    /// Live projections, folded from the generation their meta named when they were made.
    private var live: [String: (generation: Int, target: FoldTarget)] = [:]

    /// Events folded per transaction when catching up, and when rebuilding.
    public var batchSize = 8_192
    /// Events folded per transaction in a rebuild (the shadow is invisible until the swap, so batches
    /// only bound memory). After each batch a lane encodes its changed rows for the pass's writer
    /// thread, which commits (and syncs) them while the lane folds on; its tables forget clean rows
    /// once they are committed. At 262,144 a rebuild of a 1M-event county ran 1.06× the events per
    /// second of 131,072 (0.96× the CPU), at 524,288 no faster — with the writer, 524,288 ran 0.93×
    /// (README, "Replay performance").
    public var rebuildBatchSize = 262_144
    /// Cached rows a table keeps between batches before it forgets the clean ones.
    public var cacheLimit = RowFlush.cacheLimit
    /// Threads a rebuild folds on, each with its own share of the projections (``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``):
    /// the processors available, by default.
    public var lanes = Fold.defaultLanes
    /// How a rebuild's pass divides its work: the rebuild's defaults; tests make its slices small.
    var passTuning = PassTuning()
    /// How many times a lane of the last rebuild took views from another (tests read it).
    private(set) var lastHandOvers = 0

    /// A runner for `kinds` (every projection by default) over `store`.
    public init(store: EventStore, kinds: [any Projection.Type] = ProjectionCatalog.all) throws {
        self.store = store
        self.kinds = kinds
        storage = try ViewStorage(store: store, projections: kinds.map { $0.name })
    }

    func kind(_ name: String) throws -> any Projection.Type {
        guard let kind = kinds.first(where: { $0.name == name }) else {
            throw ProjectionError(
                .unknownView,
                "no projection named '\(name)'; expected one of \(kinds.map { $0.name }.joined(separator: ", "))")
        }
        return kind
    }

    // MARK: - Status

    /// Where each projection stands against the log.
    public func status() throws -> [ProjectionStatus] {
        try refreshHandles()
        let head = try store.head().position
        let metas = try storage.metas(kinds.map { $0.name })
        return try kinds.map { kind in
            let meta = metas[kind.name]
            var rows: Int?
            if let meta, let db = storage.database(kind.name, generation: meta.generation) {
                rows = try store.readViews { txn in try txn.statistics(db).entries }
            }
            return ProjectionStatus(
                name: kind.name, summary: kind.summary, version: kind.version, storedVersion: meta?.version,
                checkpoint: meta?.checkpoint ?? 0, head: head, skipped: meta?.skipped ?? 0, rows: rows)
        }
    }

    /// Opens the view databases another process created since this runner opened.
    private func refreshHandles() throws {
        lock.lock()
        defer { lock.unlock() }
        if !storage.isComplete { try storage.open(create: false) }
    }

    // MARK: - Catching up

    /// Brings every projection to `target` (the log's head by default), rebuilding first those whose
    /// stored rows are missing or of another version; returns how many events each batch folded in
    /// all. `progress` is told (position reached, target) after each batch.
    @discardableResult
    public func catchUp(through target: UInt64? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard !store.isReadOnly else {
            throw ProjectionError(.readOnly, "the store is open read-only: its views cannot be brought up to date")
        }
        if !storage.isComplete { try storage.open(create: true) }
        let head = try target ?? store.head().position
        let metas = try storage.metas(kinds.map { $0.name })
        let stale = kinds.filter { metas[$0.name]?.version != $0.version }
        var folded = 0
        if !stale.isEmpty {
            _ = try rebuildLocked(stale, through: head, progress: progress)
            folded += Int(head)
        }
        while true {
            try adoptStoredState()
            var targets = live.values.map(\.target)
            let lowest = targets.map(\.checkpoint).min() ?? head
            guard lowest < head else { break }
            let end = min(head, lowest + UInt64(batchSize))
            folded += try forgettingOnFailure(targets) {
                let count = try Fold.run(store, &targets, through: end)
                try commit(targets)
                return count
            }
            progress?(end, head)
        }
        return folded
    }

    /// Makes sure every projection has a live instance folded from its stored generation, and drops
    /// those another process moved since.
    private func adoptStoredState() throws {
        let metas = try storage.metas(kinds.map { $0.name })
        for kind in kinds {
            guard let meta = metas[kind.name], meta.version == kind.version else {
                live[kind.name] = nil
                continue
            }
            if let current = live[kind.name], current.generation == meta.generation,
                current.target.checkpoint == meta.checkpoint
            {
                continue
            }
            guard let db = storage.database(kind.name, generation: meta.generation) else { continue }
            let projection = kind.init(backend: StoredBackend(environment: store.environment, database: db))
            live[kind.name] = (
                meta.generation, FoldTarget(projection, checkpoint: meta.checkpoint, skipped: meta.skipped)
            )
        }
    }

    /// Runs a fold and its commit; if either fails (a full disk refuses the commit), nothing of the
    /// fold was stored, but the targets' tables hold rows folded past their stored checkpoints:
    /// they are forgotten, so the next catch-up starts again from what is stored instead of folding
    /// the same events into those rows a second time.
    @discardableResult
    private func forgettingOnFailure<T>(_ targets: [FoldTarget], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            for target in targets {
                for table in target.projection.tables { table.discardAll() }
                live[type(of: target.projection).name] = nil
            }
            throw error
        }
    }

    /// Writes each target's changed rows and new checkpoint in one transaction. A projection whose
    /// stored meta moved since it was adopted is left out and forgotten (``adoptStoredState()``
    /// makes it again from the stored state).
    private func commit(_ targets: [FoldTarget]) throws {
        var writes: [(name: String, generation: Int, from: UInt64, target: FoldTarget)] = []
        for target in targets {
            let name = type(of: target.projection).name
            guard let entry = live[name] else { continue }
            writes.append((name, entry.generation, entry.target.checkpoint, target))
        }
        // Encoded before the transaction: it holds the one writer lock that command commits wait on.
        let rows = try writes.map { try RowFlush.encode($0.target.projection) }
        let conflicts = try store.writeViews { txn -> [String] in
            var conflicts: [String] = []
            for (index, write) in writes.enumerated() {
                let meta = try storage.meta(write.name, txn)
                guard let meta, meta.generation == write.generation, meta.checkpoint == write.from,
                    let db = storage.database(write.name, generation: write.generation)
                else {
                    conflicts.append(write.name)
                    continue
                }
                try RowFlush.write(rows[index], to: db, txn)
                try storage.setMeta(
                    write.name,
                    ProjectionMeta(
                        version: meta.version, generation: meta.generation, checkpoint: write.target.checkpoint,
                        skipped: write.target.skipped), txn)
            }
            return conflicts
        }
        for write in writes {
            if conflicts.contains(write.name) {
                for table in write.target.projection.tables { table.discardAll() }
                live[write.name] = nil
            } else {
                RowFlush.stored(write.target.projection, cacheLimit: cacheLimit)
                live[write.name] = (write.generation, write.target)
            }
        }
    }

    // MARK: - Rebuilding

    /// Rebuilds the named projections (all by default) from the whole log into their shadow
    /// generation, then swaps each in at once; returns each one's digest, and the live view's digest
    /// at the same position when there was a live view of the same version to compare with.
    public func rebuild(_ names: [String]? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws
        -> [RebuildResult]
    {
        lock.lock()
        defer { lock.unlock() }
        guard !store.isReadOnly else {
            throw ProjectionError(.readOnly, "the store is open read-only: its views cannot be rebuilt")
        }
        if !storage.isComplete { try storage.open(create: true) }
        let selected = try names.map { try $0.map { try kind($0) } } ?? kinds
        return try rebuildLocked(selected, through: try store.head().position, progress: progress)
    }

    private func rebuildLocked(
        _ selected: [any Projection.Type], through head: UInt64, progress: ((UInt64, UInt64) -> Void)?
    ) throws -> [RebuildResult] {
        let began = ContinuousClock.now
        let metas = try storage.metas(selected.map { $0.name })
        // The live views of the same version, brought to the same position, to compare with.
        var liveDigests: [String: ViewDigest] = [:]
        let comparable = selected.filter { metas[$0.name]?.version == $0.version }
        if !comparable.isEmpty {
            try catchUpLocked(comparable.map { $0.name }, through: head)
            for (name, digest) in try digests(comparable.map { $0.name }) { liveDigests[name] = digest.digest }
        }
        var shadows: [(kind: any Projection.Type, generation: Int, old: ProjectionMeta?)] = []
        for kind in selected {
            let old = metas[kind.name]
            shadows.append((kind, old.map { 1 - $0.generation } ?? 0, old))
        }
        let generations = Dictionary(uniqueKeysWithValues: shadows.map { ($0.kind.name, $0.generation) })
        // The shadow is invisible until the swap: its batches are written with no checkpoint.
        let (targets, handOvers) = try Fold.intoEmpty(
            store, selected, through: head, batchSize: UInt64(rebuildBatchSize), lanes: lanes, cacheLimit: cacheLimit,
            environment: store.environment,
            clear: { kind in
                let generation = generations[kind.name]!
                try storage.clear(kind.name, generation: generation)
                guard let db = storage.database(kind.name, generation: generation) else {
                    throw ProjectionError(.readOnly, "the databases of view '\(kind.name)' cannot be created")
                }
                return db
            }, write: { body in try store.writeViews(body) }, tuning: passTuning, progress: progress)
        lastHandOvers = handOvers
        // Swap: every shadow becomes the generation readers read, at once.
        let swapped = try store.writeViews { txn -> [String] in
            var swapped: [String] = []
            for (shadow, target) in zip(shadows, targets) {
                if try storage.meta(shadow.kind.name, txn)?.generation != shadow.old?.generation {
                    throw ProjectionError(
                        .conflict,
                        "view '\(shadow.kind.name)' was rebuilt by another process meanwhile; nothing swapped")
                }
                try storage.setMeta(
                    shadow.kind.name,
                    ProjectionMeta(
                        version: shadow.kind.version, generation: shadow.generation, checkpoint: head,
                        skipped: target.skipped), txn)
                swapped.append(shadow.kind.name)
            }
            return swapped
        }
        let seconds = (ContinuousClock.now - began).seconds
        var results: [RebuildResult] = []
        for (shadow, target) in zip(shadows, targets) {
            if let old = shadow.old { try storage.clear(shadow.kind.name, generation: old.generation) }
            for table in target.projection.tables where table.cachedCount > cacheLimit { table.evictClean() }
            // One part's instance knows only its part's rows: the next catch-up makes a whole one.
            live[shadow.kind.name] = target.foldedInParts ? nil : (shadow.generation, target)
        }
        let digests = try digests(shadows.map { $0.kind.name })
        for (shadow, target) in zip(shadows, targets) {
            let (digest, rows) = digests[shadow.kind.name]!
            results.append(
                RebuildResult(
                    name: shadow.kind.name, checkpoint: head, rows: rows, digest: digest,
                    liveDigest: liveDigests[shadow.kind.name], skipped: target.skipped, seconds: seconds))
        }
        precondition(swapped.count == shadows.count)
        return results
    }

    /// Catches up only `names` (used before a rebuild compares with them).
    private func catchUpLocked(_ names: [String], through head: UInt64) throws {
        while true {
            try adoptStoredState()
            var targets = names.compactMap { live[$0]?.target }
            let lowest = targets.map(\.checkpoint).min() ?? head
            guard lowest < head else { return }
            try forgettingOnFailure(targets) {
                try Fold.run(store, &targets, through: min(head, lowest + UInt64(batchSize)))
                try commit(targets)
            }
        }
    }

    // MARK: - Reading

    /// The digests of the stored views `names`, two at a time (each in a read transaction of its
    /// own, on its own thread; a digest is the same whichever thread computes it).
    private func digests(_ names: [String]) throws -> [String: (digest: ViewDigest, rows: Int)] {
        final class Slot: @unchecked Sendable {
            var result: Result<(digest: ViewDigest, rows: Int), any Error>?
        }
        let slots = names.map { _ in Slot() }
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            slots[i].result = Result { try digest(names[i]) }
        }
        var out: [String: (digest: ViewDigest, rows: Int)] = [:]
        for (name, slot) in zip(names, slots) { out[name] = try slot.result!.get() }
        return out
    }

    /// The digest of the stored view `name` and its number of rows.
    public func digest(_ name: String) throws -> (digest: ViewDigest, rows: Int) {
        let kind = try kind(name)
        return try store.readViews { txn in
            guard let meta = try storage.meta(name, txn),
                let db = storage.database(name, generation: meta.generation)
            else {
                throw ProjectionError(.unknownView, "view '\(name)' has not been built yet")
            }
            return try ViewDigest.compute(name: kind.name, version: meta.version, checkpoint: meta.checkpoint) { feed in
                try storage.scan(db, txn) { key, value in feed(key, value) }
            }
        }
    }

    /// Runs `body` with the stored views, all read in one read transaction: a consistent snapshot
    /// that a catch-up or a rebuild committing meanwhile does not change. A projection never built,
    /// or stored by another version, reads as empty (and the reader's ``ViewReader/position`` is 0).
    public func read<R>(_ body: (any ViewReader) throws -> R) throws -> R {
        try refreshHandles()
        let head = try store.head().position
        return try store.readViews { txn in
            var databases: [String: Database] = [:]
            var position = UInt64.max
            for kind in kinds {
                if let meta = try storage.meta(kind.name, txn), meta.version == kind.version,
                    let db = storage.database(kind.name, generation: meta.generation)
                {
                    databases[kind.name] = db
                    position = min(position, meta.checkpoint)
                } else {
                    position = 0
                }
            }
            if position == .max { position = 0 }
            let recordedAt = try store.recordedAt(ofPosition: position, txn)
            // The reader reaches the transaction through a pointer that lives only as long as this
            // closure, and so does the reader (it must not escape `body`).
            return try withUnsafePointer(to: txn) { pointer in
                try body(
                    StoredViewReader(
                        position: position, recordedAt: recordedAt, head: head, databases: databases,
                        transaction: pointer))
            }
        }
    }

    /// The stored rows of `names` (every projection by default), copied out of one read
    /// transaction.
    public func snapshot(_ names: [String]? = nil) throws -> ViewSnapshot {
        let selected = try names.map { try $0.map { try kind($0).name } } ?? kinds.map { $0.name }
        return try read { reader in
            guard let stored = reader as? StoredViewReader else { preconditionFailure() }
            var tables: [String: [String: any SnapshotTable]] = [:]
            for name in selected { tables[name] = ViewSnapshot.group(try stored.entries(name)) }
            return ViewSnapshot(
                position: reader.position, recordedAt: reader.recordedAt, head: reader.head, tables: tables)
        }
    }
}

/// The stored views inside one read transaction (only valid within ``ProjectionRunner/read(_:)``).
final class StoredViewReader: ViewReader {
    let position: UInt64
    let recordedAt: Timestamp?
    let head: UInt64
    private let databases: [String: Database]
    private let transaction: UnsafePointer<Transaction>

    init(
        position: UInt64, recordedAt: Timestamp?, head: UInt64, databases: [String: Database],
        transaction: UnsafePointer<Transaction>
    ) {
        self.position = position
        self.recordedAt = recordedAt
        self.head = head
        self.databases = databases
        self.transaction = transaction
    }

    private func get(_ db: Database, _ key: [UInt8]) throws -> [UInt8]? {
        try transaction.pointee.get(db, key: key)
    }

    private func scanner(
        _ db: Database, _ start: [UInt8], _ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var budget = PageBudget(pages: PageBudget.standard)
        try transaction.pointee.withCursor(db) { cursor in
            // LMDB refuses an empty key: an empty start means the first entry.
            var entry = try start.isEmpty ? cursor.first() : start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
            while let e = entry, try visit(e.key, e.value) {
                // A query reading a whole table (an as-of's scratch) holds a bounded share of its pages.
                if budget.spent(reading: e.value) { transaction.pointee.releaseResidentPagesIfGrown() }
                entry = try cursor.next()
            }
        }
    }

    func row<Row>(_ table: TableRef<Row>, _ key: String) throws -> Row? {
        guard let db = databases[table.projection] else { return nil }
        return try get(db, RowKey.encode(table: table.table, key: key)).map {
            try RowDecoder.decode(Row.self, from: $0)
        }
    }

    func scan<Row>(_ table: TableRef<Row>, from start: String, _ body: (String, Row) throws -> Bool) throws {
        guard let db = databases[table.projection] else { return }
        let prefix = RowKey.prefix(table: table.table)
        try scanner(db, RowKey.encode(table: table.table, key: start)) { key, value in
            guard key.count >= prefix.count, key.starts(with: prefix) else { return false }
            let rowKey = String(decoding: UnsafeRawBufferPointer(rebasing: key[prefix.count...]), as: UTF8.self)
            return try body(rowKey, try RowDecoder.decode(Row.self, from: value))
        }
    }

    /// Every entry of `projection`'s database, in key order.
    func entries(_ projection: String) throws -> [(key: [UInt8], value: [UInt8])] {
        guard let db = databases[projection] else { return [] }
        var out: [(key: [UInt8], value: [UInt8])] = []
        try scanner(db, []) { key, value in
            out.append((Array(key), Array(value)))
            return true
        }
        return out
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
