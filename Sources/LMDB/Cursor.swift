import CLMDB

/// A cursor over one database, valid only inside ``Transaction/withCursor(_:_:)``.
///
/// Positioning calls return the entry the cursor lands on, or `nil` when there is none. Buffers
/// point into LMDB's memory map and are valid until the transaction ends.
public struct Cursor: ~Copyable {
    /// A key and its value.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer
    let database: Database
    let state: TransactionState

    /// The first entry.
    public func first() throws(LMDBError) -> Entry? { try get(MDB_FIRST) }
    /// The last entry.
    public func last() throws(LMDBError) -> Entry? { try get(MDB_LAST) }
    /// The entry after the current one.
    public func next() throws(LMDBError) -> Entry? { try get(MDB_NEXT) }
    /// The entry before the current one.
    public func previous() throws(LMDBError) -> Entry? { try get(MDB_PREV) }
    /// The entry at the cursor.
    public func current() throws(LMDBError) -> Entry? { try get(MDB_GET_CURRENT) }

    /// The entry with exactly `key`.
    public func seek(exactly key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        try get(MDB_SET_KEY, key: key)
    }

    /// The first entry whose key is greater than or equal to `key`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        try get(MDB_SET_RANGE, key: key)
    }

    /// The last entry whose key is less than or equal to `key`.
    public func seek(atMost key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        if let entry = try seek(atLeast: key) {
            if compare(entry.key, key) == 0 { return entry }
            return try previous()
        }
        return try last()
    }

    /// In a duplicate-sorted database: the first value of `key` that is greater than or equal to
    /// `value` (`MDB_GET_BOTH_RANGE`).
    public func seek(key: UnsafeRawBufferPointer, valueAtLeast value: UnsafeRawBufferPointer) throws(LMDBError)
        -> Entry?
    {
        var k = MDB_val(key)
        var v = MDB_val(value)
        let rc = mdb_cursor_get(handle, &k, &v, MDB_GET_BOTH_RANGE)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_cursor_get(\(database.name), both range)")
        return (k.buffer, v.buffer)
    }

    /// Stores `value` under `key` through the cursor.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError)
    {
        var k = MDB_val(key)
        var v = MDB_val(value)
        let rc = mdb_cursor_put(handle, &k, &v, flags.rawValue)
        if rc == MDB_MAP_FULL { state.mapFull = true }
        try check(rc, "mdb_cursor_put(\(database.name))")
    }

    /// Deletes the entry at the cursor.
    public func deleteCurrent() throws(LMDBError) {
        try check(mdb_cursor_del(handle, 0), "mdb_cursor_del(\(database.name))")
    }

    private func get(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = key.map { MDB_val($0) } ?? MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_cursor_get(\(database.name))")
        return (k.buffer, v.buffer)
    }

    private func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        var x = MDB_val(a)
        var y = MDB_val(b)
        return mdb_cmp(mdb_cursor_txn(handle), database.dbi, &x, &y)
    }
}
