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
                let last = try fold(projection, from: from, limit: chunk, txn, dbs)
                if last == 0 { return true }
                try setCheckpoint(projection.name, last, txn, dbs)
                return false
            }
            if done { return }
        }
    }

    /// Folds up to `limit` events from position `from` through `through` into `projection`, in `txn`;
    /// returns the last position folded (0: none). Leaves the checkpoint to the caller.
    static func fold(
        _ projection: any InlineProjection,
        from: UInt64,
        through: UInt64 = .max,
        limit: Int = .max,
        _ txn: borrowing Transaction,
        _ dbs: Databases
    ) throws -> UInt64 {
        var last: UInt64 = 0
        try txn.withCursor(dbs.events) { cursor in
            var key = Keys.position(from)
            var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
            var count = 0
            while let e = entry, count < limit {
                let view = try view(e.key, e.value)
                if view.position > through { break }
                try projection.apply(WrittenEvent(view), txn)
                last = view.position
                count += 1
                entry = try cursor.next()
            }
        }
        return last
    }

    /// Brings every inline projection's checkpoint to `head`, the last position of the log, inside
    /// the writer's transaction before it appends: when another process appended without the same
    /// inline projections, the events it wrote are folded in first, so no projection ever skips an
    /// event. A checkpoint beyond the head means the log lost events the projection folded (a store
    /// replaced by an older copy under a running process): the commit fails rather than guess.
    static func alignInlineProjections(
        _ projections: [any InlineProjection],
        head: UInt64,
        _ txn: borrowing Transaction,
        _ dbs: Databases
    ) throws {
        for projection in projections {
            let checkpoint = try checkpoint(projection.name, txn, dbs)
            if checkpoint == head { continue }
            guard checkpoint < head else {
                throw EventStoreError(
                    .corrupted,
                    "inline projection '\(projection.name)' has folded through position \(checkpoint), "
                        + "but the log ends at \(head): rebuild it")
            }
            _ = try fold(projection, from: checkpoint + 1, through: head, txn, dbs)
            try setCheckpoint(projection.name, head, txn, dbs)
        }
    }
}
