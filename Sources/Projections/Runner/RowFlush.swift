import LMDB

/// How a fold's changed rows reach a database, and how its tables' caches stay bounded: the one
/// place the runner's batches, a rebuild's shadows and an as-of's scratch views write rows.
enum RowFlush {
    /// Rows a table keeps cached between batches before it forgets the clean ones (``RowTable``
    /// loads them again when a later batch reads them). One limit for every fold, so a fold's
    /// memory is bounded by its batch, not by the log.
    static let cacheLimit = 8_192

    /// Every row `projection` changed since its tables were last marked clean, encoded, in key
    /// order per table.
    static func changes(_ projection: any Projection) throws -> [(key: [UInt8], value: [UInt8]?)] {
        try projection.tables.flatMap { try $0.changes() }
    }

    /// Writes `rows` into `database`: a value stored, `nil` deleted.
    static func write(
        _ rows: [(key: [UInt8], value: [UInt8]?)], to database: Database, _ txn: borrowing Transaction
    ) throws {
        for row in rows {
            if let value = row.value {
                try txn.put(database, key: row.key, value: value)
            } else {
                _ = try row.key.withUnsafeBytes { try txn.delete(database, key: $0) }
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
