import EventStore
import LMDB
import Synchronization

/// The databases a store's projections live in: `vigil.views` (name → ``ProjectionMeta``), and per
/// projection two generations, `view.<name>.0` and `view.<name>.1`, each holding every table's
/// rows under ``RowKey`` keys. Readers read the generation the meta names; a rebuild fills the
/// other one and flips the meta in one transaction.
final class ViewStorage: @unchecked Sendable {
    // @unchecked: the handles change only in `open(create:)`, under the runner's lock.
    let store: EventStore
    let projections: [String]
    private var meta: Database?
    private var generations: [String: [Database]] = [:]

    static let metaDatabaseName = "vigil.views"

    /// Opens the databases that exist; nothing is written (``open(create:)`` creates them when the
    /// runner first stores a view).
    init(store: EventStore, projections: [String]) throws {
        self.store = store
        self.projections = projections
        try open(create: false)
    }

    /// Opens every database, creating the missing ones when `create` is set.
    func open(create: Bool) throws {
        let names = [Self.metaDatabaseName] + projections.flatMap { name in (0..<2).map { "view.\(name).\($0)" } }
        let databases = try store.viewDatabases(names, create: create)
        meta = databases[Self.metaDatabaseName]
        for name in projections {
            if let first = databases["view.\(name).0"], let second = databases["view.\(name).1"] {
                generations[name] = [first, second]
            }
        }
    }

    /// Whether every database exists.
    var isComplete: Bool { meta != nil && generations.count == projections.count }

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

    /// Calls `body` with every entry of `db` in key order, in one read transaction, letting go of
    /// the pages mapped when they have grown (asked every ``PageBudget/standard`` pages read: a digest
    /// reads a whole view, whose pages lie all over the file, and its memory does not grow with it).
    func scan(
        _ db: Database, _ txn: borrowing Transaction,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var budget = PageBudget(pages: PageBudget.standard)
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let e = entry {
                try body(e.key, e.value)
                if budget.spent(reading: e.value) { txn.releaseResidentPagesIfGrown() }
                entry = try cursor.next()
            }
        }
    }
}

/// Loads rows of one generation of a stored projection (or of an as-of's scratch views), each in a
/// short read transaction of its own (rows the runner has not flushed yet are in the tables' caches,
/// never here).
final class StoredBackend: RowBackend {
    let environment: Environment
    let database: Database
    let startsEmpty: Bool

    /// A backend over `database` of `environment`; `startsEmpty` when it was just cleared (a
    /// rebuild's shadow) or made (a scratch).
    init(environment: Environment, database: Database, startsEmpty: Bool = false) {
        self.environment = environment
        self.database = database
        self.startsEmpty = startsEmpty
    }

    /// Rows loaded: every ``PageBudget/standard`` of them the backend asks whether to let go of the
    /// pages mapped. A row lies on a page anywhere in its view, mapped with a block of neighbours,
    /// so a fold that loads rows again (a big view, past its tables' caches) would otherwise map
    /// pages in proportion to the view's size.
    private let loads = Atomic<Int>(0)

    func load(_ key: [UInt8]) throws -> [UInt8]? {
        try environment.read { txn in
            let row = try txn.get(database, key: key)
            if loads.add(1, ordering: .relaxed).newValue % PageBudget.standard == 0 {
                txn.releaseResidentPagesIfGrown()
            }
            return row
        }
    }
}
