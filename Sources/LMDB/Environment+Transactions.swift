import CLMDB

extension Environment {
    /// Runs `body` in a read-only transaction over a consistent snapshot of the environment.
    ///
    /// Readers never block the writer, but a long-lived read transaction pins the pages of its
    /// snapshot: read a long range in chunks, one transaction per chunk.
    public func read<R, E: Error>(_ body: (borrowing Transaction) throws(E) -> R) throws -> R {
        while true {
            let attempt: Result<R, any Error>? = gate.withShared { () -> Result<R, any Error>? in
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
                if rc == MDB_MAP_RESIZED { return nil }
                guard rc == MDB_SUCCESS, let txn else {
                    return .failure(LMDBError(rc, "mdb_txn_begin(read)"))
                }
                let result: Result<R, any Error>
                do {
                    result = .success(try body(Transaction(handle: txn, readOnly: true, residency: residency)))
                } catch {
                    result = .failure(error)
                }
                // Committing (not aborting) a read-only transaction keeps the database handles it
                // opened valid; otherwise it is the same. It frees the transaction either way.
                mdb_txn_commit(txn)
                return result
            }
            guard let attempt else {
                try adoptResizedMap()
                continue
            }
            return try attempt.get()
        }
    }

    /// Runs `body` in a write transaction and commits it durably (unless the environment was opened
    /// with ``Options/unsafeNoSync``). If `body` throws, nothing is written.
    ///
    /// When the map fills up, from a put or from the commit, the transaction is aborted, the map is
    /// grown while no transaction is open in the process, and **`body` runs again**: it must not
    /// have effects outside the transaction that cannot be repeated.
    ///
    /// Call it from one thread for its whole duration (it is synchronous), and never from inside
    /// another transaction's closure.
    public func write<R, E: Error>(_ body: (borrowing Transaction) throws(E) -> R) throws -> R {
        precondition(!options.readOnly, "write transaction on a read-only environment")
        while true {
            let outcome = gate.withShared { () -> WriteOutcome<R> in
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(handle, nil, 0, &txn)
                if rc == MDB_MAP_RESIZED { return .resized }
                guard rc == MDB_SUCCESS, let txn else {
                    return .failed(LMDBError(rc, "mdb_txn_begin(write)"))
                }
                let transaction = Transaction(handle: txn, readOnly: false, residency: residency)
                let value: R
                do {
                    value = try body(transaction)
                } catch {
                    let mapWasFull = transaction.state.mapFull
                    mdb_txn_abort(txn)
                    return mapWasFull || LMDBError.Code.mapFull ~= error ? .mapFull : .failed(error)
                }
                if transaction.state.mapFull {
                    // The body swallowed MDB_MAP_FULL; the transaction is unusable.
                    mdb_txn_abort(txn)
                    return .mapFull
                }
                // mdb_txn_commit frees the transaction even when it fails: never abort after it.
                let commit = mdb_txn_commit(txn)
                if commit == MDB_MAP_FULL { return .mapFull }
                if commit != MDB_SUCCESS { return .failed(LMDBError(commit, "mdb_txn_commit")) }
                return .committed(value)
            }
            switch outcome {
            case .committed(let value): return value
            case .failed(let error): throw (error as? LMDBError).map(diagnose) ?? error
            case .resized: try adoptResizedMap()
            case .mapFull: try growMap()
            }
        }
    }

    /// Opens (creating in a write transaction when `create`) a named database. The handle stays valid
    /// for the life of the environment.
    public func openDatabase(_ name: String, flags: Database.Flags = [], create: Bool = true) throws -> Database {
        if create && !options.readOnly {
            return try write { txn in try txn.openDatabase(name, flags: flags.union(.create)) }
        }
        return try read { txn in try txn.openDatabase(name, flags: flags) }
    }
}

private enum WriteOutcome<R> {
    case committed(R)
    case failed(any Error)
    case resized
    case mapFull
}
