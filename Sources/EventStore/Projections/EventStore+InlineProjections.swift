import LMDB

extension EventStore {
    /// The checkpoint of the inline projection `name`: the last position it folded, 0 if none.
    public func checkpoint(of name: String) throws -> UInt64 {
        try environment.read { txn in try Self.checkpoint(name, txn, databases) }
    }

    /// Deletes the projection's state and folds the whole log into it again, in chunks (one write
    /// transaction each; appends wait between chunks, never during one).
    public func rebuild(_ projection: any InlineProjection) throws {
        try environment.write { txn in
            try projection.reset(txn)
            try Self.setCheckpoint(projection.name, 0, txn, databases)
        }
        try Self.catchUp(projection, environment: environment, dbs: databases, chunk: options.readChunkSize * 4)
    }

    static func checkpoint(_ name: String, _ txn: borrowing Transaction, _ dbs: Databases) throws -> UInt64 {
        try Array(name.utf8).withUnsafeBytes { k in
            try txn.get(dbs.checkpoints, key: k).map { Bytes.loadLE($0, at: 0, as: UInt64.self) } ?? 0
        }
    }

    static func setCheckpoint(_ name: String, _ position: UInt64, _ txn: borrowing Transaction, _ dbs: Databases) throws
    {
        var value = position.littleEndian
        try Array(name.utf8).withUnsafeBytes { k in
            try withUnsafeBytes(of: &value) { v in try txn.put(dbs.checkpoints, key: k, value: v) }
        }
    }

    /// Folds the events after the projection's checkpoint into it, chunk by chunk.
    static func catchUp(_ projection: any InlineProjection, environment: Environment, dbs: Databases, chunk: Int) throws
    {
        while true {
            let done = try environment.write { txn -> Bool in
                let from = try checkpoint(projection.name, txn, dbs) + 1
                var last: UInt64 = 0
                try txn.withCursor(dbs.events) { cursor in
                    var key = Keys.position(from)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
                    var count = 0
                    while let e = entry, count < chunk {
                        let view = try view(e.key, e.value)
                        try projection.apply(WrittenEvent(view), txn)
                        last = view.position
                        count += 1
                        entry = try cursor.next()
                    }
                }
                if last == 0 { return true }
                try setCheckpoint(projection.name, last, txn, dbs)
                return false
            }
            if done { return }
        }
    }
}
