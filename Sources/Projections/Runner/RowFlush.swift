import LMDB

/// How a fold's changed rows reach a database, and how its tables' caches stay bounded: the one
/// place the runner's batches, a rebuild's shadows and an as-of's scratch views write rows.
enum RowFlush {
    /// Rows a table keeps cached between batches before it forgets the clean ones (``RowTable``
    /// loads them again when a later batch reads them). One limit for every fold, so a fold's
    /// memory is bounded by its batch, not by the log.
    static let cacheLimit = 8_192

    /// Every row `projection` changed since its tables were last marked clean, encoded now — before
    /// the write transaction that stores them (``write(_:to:_:)``). The live
    /// runner's batches share the log's LMDB environment, whose one writer lock every command's
    /// commit waits on: encoding the rows inside the transaction held that lock for the encoding
    /// too. Nothing is marked; the rows are in each table's key order, in one buffer.
    static func encode(_ projection: any Projection) throws -> EncodedRows {
        var rows = EncodedRows()
        for table in projection.tables {
            try table.writeChanges { key, value in rows.append(key, value) }
        }
        return rows
    }

    /// Writes rows ``encode(_:)`` encoded into `database`: a value stored, a `nil` deleted.
    static func write(_ rows: EncodedRows, to database: Database, _ txn: borrowing Transaction) throws {
        try rows.bytes.withUnsafeBytes { buffer in
            for (index, row) in rows.rows.enumerated() {
                let key = UnsafeRawBufferPointer(rebasing: buffer[row.key])
                if let value = row.value {
                    try txn.put(database, key: key, value: UnsafeRawBufferPointer(rebasing: buffer[value]))
                } else {
                    _ = try txn.delete(database, key: key)
                }
                if (index + 1) % PageBudget.standard == 0 { txn.releaseResidentPagesIfGrown() }
            }
        }
    }

    /// Rows encoded ahead of their transaction: every key and value in one buffer, by range.
    struct EncodedRows {
        var bytes: [UInt8] = []
        var rows: [(key: Range<Int>, value: Range<Int>?)] = []

        mutating func append(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) {
            let keyStart = bytes.count
            bytes.append(contentsOf: key)
            let keyRange = keyStart..<bytes.count
            guard let value else {
                rows.append((keyRange, nil))
                return
            }
            bytes.append(contentsOf: value)
            rows.append((keyRange, keyRange.upperBound..<bytes.count))
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
