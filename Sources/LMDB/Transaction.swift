import CLMDB

/// A transaction, valid only inside the closure of ``Environment/read(_:)`` or
/// ``Environment/write(_:)``.
///
/// It is non-copyable and not `Sendable`: it cannot be stored, returned, or sent to another task.
/// Buffers it returns point into LMDB's memory map and are valid only until the closure returns;
/// copy what must outlive it.
public struct Transaction: ~Copyable {
    let handle: OpaquePointer
    /// Whether the transaction is read-only.
    public let isReadOnly: Bool
    let state: TransactionState
    /// Where the environment's file is mapped (``releaseResidentPages()``).
    let residency: MapResidency

    init(
        handle: OpaquePointer, readOnly: Bool, residency: MapResidency, state: TransactionState = TransactionState()
    ) {
        self.handle = handle
        self.isReadOnly = readOnly
        self.residency = residency
        self.state = state
    }

    /// The transaction's id: for a read transaction, the id of the snapshot it reads.
    public var id: Int { Int(mdb_txn_id(handle)) }

    /// Opens a named database within this transaction.
    public func openDatabase(_ name: String, flags: Database.Flags = []) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(handle, name, flags.rawValue, &dbi), "mdb_dbi_open(\(name))")
        return Database(dbi: dbi, name: name)
    }

    /// The value stored under `key`, or `nil`. The buffer is valid until the transaction ends.
    public func get(_ database: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var k = MDB_val(key)
        var v = MDB_val()
        let rc = mdb_get(handle, database.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_get(\(database.name))")
        return v.buffer
    }

    /// The value stored under `key`, copied, or `nil`.
    public func get(_ database: Database, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in
            try get(database, key: k).map { Array($0) }
        }
    }

    /// Stores `value` under `key`.
    public func put(
        _ database: Database,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws(LMDBError) {
        var k = MDB_val(key)
        var v = MDB_val(value)
        try checkWrite(mdb_put(handle, database.dbi, &k, &v, flags.rawValue), "mdb_put(\(database.name))")
    }

    /// Stores `value` under `key`.
    public func put(_ database: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(database, key: k, value: v, flags: flags) }
        }
    }

    /// Reserves `count` bytes under `key` and lets `fill` write them in place (`MDB_RESERVE`),
    /// saving a copy of large values.
    public func reserve<R, E: Error>(
        _ database: Database,
        key: UnsafeRawBufferPointer,
        count: Int,
        flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws -> R {
        var k = MDB_val(key)
        var v = MDB_val(mv_size: count, mv_data: nil)
        try checkWrite(
            mdb_put(handle, database.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)),
            "mdb_put(\(database.name), reserve)"
        )
        return try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key` (and, in a duplicate-sorted database, only the pair with `value` when given).
    /// Returns whether anything was deleted.
    @discardableResult
    public func delete(_ database: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        var k = MDB_val(key)
        let rc = mdb_del(handle, database.dbi, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try checkWrite(rc, "mdb_del(\(database.name))")
        return true
    }

    /// Deletes every entry of `database` (keeping the database itself).
    public func clear(_ database: Database) throws(LMDBError) {
        try checkWrite(mdb_drop(handle, database.dbi, 0), "mdb_drop(\(database.name))")
    }

    /// Statistics of `database` as this transaction sees it.
    public func statistics(_ database: Database) throws(LMDBError) -> DatabaseStatistics {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.dbi, &stat), "mdb_stat(\(database.name))")
        return DatabaseStatistics(
            entries: stat.ms_entries,
            depth: Int(stat.ms_depth),
            branchPages: stat.ms_branch_pages,
            leafPages: stat.ms_leaf_pages,
            overflowPages: stat.ms_overflow_pages,
            pageSize: Int(stat.ms_psize)
        )
    }

    /// Runs `body` in a nested write transaction: if `body` throws, only what it wrote is undone and
    /// this transaction carries on; otherwise its writes join this transaction's. Do not use this
    /// transaction inside `body`.
    public func nested<R, E: Error>(_ body: (borrowing Transaction) throws(E) -> R) throws -> R {
        var child: OpaquePointer?
        try check(mdb_txn_begin(mdb_txn_env(handle), handle, 0, &child), "mdb_txn_begin(nested)")
        guard let child else { throw LMDBError(code: .invalid, operation: "mdb_txn_begin(nested)") }
        let transaction = Transaction(handle: child, readOnly: false, residency: residency, state: state)
        let value: R
        do {
            value = try body(transaction)
        } catch {
            mdb_txn_abort(child)
            throw error
        }
        // A failed nested commit frees the child; the parent stays usable unless the map is full.
        try checkWrite(mdb_txn_commit(child), "mdb_txn_commit(nested)")
        return value
    }

    /// Runs `body` with a cursor over `database`, closed when `body` returns.
    public func withCursor<R, E: Error>(
        _ database: Database,
        _ body: (borrowing Cursor) throws(E) -> R
    ) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, database.dbi, &cursor), "mdb_cursor_open(\(database.name))")
        guard let cursor else { throw LMDBError(code: .invalid, operation: "mdb_cursor_open") }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor, database: database, state: state))
    }

    func checkWrite(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if rc == MDB_MAP_FULL { state.mapFull = true }
        try check(rc, operation())
    }
}

/// What a transaction learned that outlives a failed call: after `MDB_MAP_FULL` it is unusable,
/// and ``Environment/write(_:)`` must grow the map and run the body again even if the body caught
/// the error.
final class TransactionState {
    var mapFull = false
}

extension MDB_val {
    init(_ buffer: UnsafeRawBufferPointer) {
        self.init(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
    }

    var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
