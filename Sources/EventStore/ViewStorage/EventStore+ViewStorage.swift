public import LMDB

/// Storage for the views the projections layer keeps beside the log (ARCHITECTURE decision 9):
/// named databases of their own in the store's environment, written in transactions of their own.
///
/// A view's rows and its checkpoint are written in one transaction, so a view is never ahead of or
/// behind its checkpoint. These transactions take LMDB's write lock like the writer's commits do
/// (appends wait for one to finish, never the other way round mid-transaction); keep them short —
/// the projections runner writes a batch at a time.
extension EventStore {
    /// Opens views' named databases, in one transaction. With `create` (on a writable store) the
    /// missing ones are created; without, a database that was never created is left out: the view
    /// has not been stored yet. Opening without creating writes nothing, so it costs no commit.
    public func viewDatabases(_ names: [String], create: Bool) throws -> [String: Database] {
        for name in names {
            precondition(!Self.reservedDatabaseNames.contains(name), "\(name) is one of the log's own databases")
        }
        if create && !options.environment.readOnly {
            return try environment.write { txn in
                var out: [String: Database] = [:]
                for name in names { out[name] = try txn.openDatabase(name, flags: .create) }
                return out
            }
        }
        return try environment.read { txn in
            var out: [String: Database] = [:]
            for name in names {
                do {
                    out[name] = try txn.openDatabase(name)
                } catch let error as LMDBError where error.code == .notFound {
                    continue
                }
            }
            return out
        }
    }

    /// Runs `body` in a write transaction for view state; it commits when `body` returns and is
    /// rolled back when it throws. Never call it from inside another transaction of this store.
    public func writeViews<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try environment.write(body)
    }

    /// Runs `body` in a read transaction: a consistent snapshot of the views and the log.
    public func readViews<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try environment.read(body)
    }

    /// When the event at `position` was recorded, read in `txn` (a ``readViews(_:)`` or
    /// ``writeViews(_:)`` transaction), so a view read states its checkpoint's time from the same
    /// snapshot as its rows, without a second transaction; `nil` when the log has no such position.
    public func recordedAt(ofPosition position: UInt64, _ txn: borrowing Transaction) throws -> Timestamp? {
        guard position > 0 else { return nil }
        return try Self.storedEvent(at: position, txn, databases)?.recordedAt
    }

    /// Whether the store was opened read-only.
    public var isReadOnly: Bool { options.environment.readOnly }

    /// The position of the last event recorded at or before `instant` (0: none), found by binary
    /// search: recordedAt never goes backwards along the log, so "as known at `instant`" is "as of
    /// this position".
    public func lastPosition(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        try environment.read { txn in
            try txn.withCursor(databases.events) { cursor -> UInt64 in
                guard let last = try cursor.last() else { return 0 }
                var high = Bytes.loadBE(last.key) as UInt64
                if EventView(position: high, bytes: last.value).recordedAt <= instant { return high }
                var low: UInt64 = 0  // recorded at or before `instant` (0: a sentinel before the log)
                while high - low > 1 {
                    let middle = low + (high - low) / 2
                    var key = Keys.position(middle)
                    guard let entry = try withUnsafeBytes(of: &key, { try cursor.seek(atLeast: $0) }) else { break }
                    let view = try Self.view(entry.key, entry.value)
                    if view.recordedAt <= instant { low = view.position } else { high = middle }
                }
                return low
            }
        }
    }

    static let reservedDatabaseNames: Set<String> = [
        "events", "streams", "streamIndex", "eventIds", "meta", "checkpoints",
    ]
}
