import LMDB

/// How a fold's changed rows reach a database, and how its tables' caches stay bounded: the one
/// place the runner's batches, a rebuild's shadows and an as-of's scratch views write rows.
enum RowFlush {
    /// Rows a table keeps cached between batches before it forgets the clean ones (``RowTable``
    /// loads them again when a later batch reads them). One limit for every fold, so a fold's
    /// memory is bounded by its batch, not by the log.
    static let cacheLimit = 8_192

    /// Writes every row `projection` changed since its tables were last marked clean into
    /// `database`, each table's in key order: a value stored, a `nil` deleted. Rows are encoded
    /// straight into the transaction (one buffer for every row), not gathered first.
    static func write(_ projection: any Projection, to database: Database, _ txn: borrowing Transaction) throws {
        for table in projection.tables {
            try table.writeChanges { key, value in
                if let value {
                    try txn.put(database, key: key, value: value)
                } else {
                    _ = try txn.delete(database, key: key)
                }
            }
        }
    }

    /// Marks `projection`'s changes stored (after the transaction that wrote them committed), and
    /// forgets the clean rows of every table caching more than `cacheLimit`.
    static func stored(_ projection: any Projection, cacheLimit: Int) {
        for table in projection.tables {
            table.markClean()
            if table.cachedCount > cacheLimit { table.evictClean() }
        }
    }
}
