import EventStore
import LMDB

/// The databases a store's projections live in: `vigil.views` (name → ``ProjectionMeta``), and per
/// projection two generations, `view.<name>.0` and `view.<name>.1`, each holding every table's
/// rows under ``RowKey`` keys. Readers read the generation the meta names; a rebuild fills the
/// other one and flips the meta in one transaction.
final class ViewStorage: @unchecked Sendable {
    // @unchecked: the handles are opened once, in `init`, and never change.
    let store: EventStore
    private let meta: Database?
    private var generations: [String: [Database]] = [:]

    static let metaDatabaseName = "vigil.views"

    init(store: EventStore, projections: [String]) throws {
        self.store = store
        meta = try store.viewDatabase(Self.metaDatabaseName)
        for name in projections {
            let pair = try (0..<2).map { try store.viewDatabase("view.\(name).\($0)") }
            if let first = pair[0], let second = pair[1] { generations[name] = [first, second] }
        }
    }

    /// Whether any view was ever stored (a read-only store opened before the first catch-up has none).
    var exists: Bool { meta != nil }

    func database(_ name: String, generation: Int) -> Database? { generations[name]?[generation] }

    func meta(_ name: String, _ txn: borrowing Transaction) throws -> ProjectionMeta? {
        guard let meta else { return nil }
        return try txn.get(meta, key: Array(name.utf8)).map { try RowDecoder.decode(ProjectionMeta.self, from: $0) }
    }

    func setMeta(_ name: String, _ value: ProjectionMeta, _ txn: borrowing Transaction) throws {
        guard let meta else { throw ProjectionError(.readOnly, "the store is read-only: views cannot be stored") }
        try txn.put(meta, key: Array(name.utf8), value: try RowEncoder.encode(value))
    }

    func meta(_ name: String) throws -> ProjectionMeta? {
        try store.readViews { txn in try meta(name, txn) }
    }

    /// Every stored projection's meta, in one snapshot.
    func metas(_ names: [String]) throws -> [String: ProjectionMeta] {
        try store.readViews { txn in
            var out: [String: ProjectionMeta] = [:]
            for name in names { out[name] = try meta(name, txn) }
            return out
        }
    }

    /// Empties one generation of a projection.
    func clear(_ name: String, generation: Int) throws {
        guard let db = database(name, generation: generation) else { return }
        try store.writeViews { txn in try txn.clear(db) }
    }

    /// Calls `body` with every entry of `db` in key order, in one read transaction.
    func scan(
        _ db: Database, _ txn: borrowing Transaction,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let e = entry {
                try body(e.key, e.value)
                entry = try cursor.next()
            }
        }
    }
}

/// Loads rows of one generation of a stored projection, each in a short read transaction of its own
/// (rows the runner has not flushed yet are in the tables' caches, never here).
final class StoredBackend: RowBackend {
    let store: EventStore
    let database: Database

    init(store: EventStore, database: Database) {
        self.store = store
        self.database = database
    }

    func load(_ key: [UInt8]) throws -> [UInt8]? {
        try store.readViews { txn in try txn.get(database, key: key) }
    }
}
