public import Foundation
public import LMDB

/// What a read checks of the records it hands out, beyond what every read checks.
///
/// Every read checks the structure: each record is well formed, positions come dense and in
/// order (a gap, a repeat or a step back means a damaged page of the log), and a record reached
/// through an index is the one the index named. ``chain`` also recomputes each record's chain hash
/// from its predecessor's, so every record handed out is exactly the one the log committed — what
/// an export, a replay or a rebuilt view needs to promise. A failed check throws
/// ``EventStoreError`` with code ``EventStoreError/Code/corrupted``, the position, and the remedy.
public enum ReadCheck: Sendable {
    /// Well-formed records, dense positions, indexes that point back.
    case structure
    /// ``structure``, and every record's chain hash.
    case chain
}

/// Which way a read goes.
public enum ReadDirection: Sendable {
    /// Ascending positions or versions.
    case forward
    /// Descending positions or versions.
    case backward
}

extension EventStore {
    /// The log's head: last position and chain hash.
    public func head() throws -> LogHead {
        try reading { txn in
            try txn.withCursor(databases.events) { cursor in
                guard let last = try cursor.last() else { return LogHead(position: 0, hash: Hash32.zero.array) }
                let view = try Self.view(last.key, last.value)
                return LogHead(position: view.position, hash: Array(view.hashBytes))
            }
        }
    }

    /// Up to `limit` events from `position` (inclusive), forward or backward.
    public func read(from position: UInt64, direction: ReadDirection = .forward, limit: Int) throws -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        if direction == .forward {
            try scan(from: position, limit: limit) { out.append($0.materialize()) }
        } else {
            guard limit > 0 else { return [] }
            try reading { txn in
                try txn.withCursor(databases.events) { cursor in
                    var key = Keys.position(position)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atMost: $0) }
                    if let e = entry, Bytes.loadBE(e.key) != position, let last = try cursor.last(),
                        Bytes.loadBE(last.key) != Bytes.loadBE(e.key)
                    {
                        // Below the head, every position exists.
                        throw Self.damaged(at: position, "missing from the log")
                    }
                    entry = try withUnsafeBytes(of: &key) { try cursor.seek(atMost: $0) }
                    var expected: UInt64?
                    while let e = entry, out.count < limit {
                        let view = try Self.view(e.key, e.value)
                        if let expected, view.position != expected {
                            throw Self.damaged(
                                at: expected, "missing from the log (the record before is \(view.position))")
                        }
                        out.append(view.materialize())
                        expected = view.position - 1
                        entry = try cursor.previous()
                    }
                }
            }
        }
        return out
    }

    /// Calls `body` for each event from `position` (inclusive) through `last`, at most `limit`
    /// events, with a zero-copy view. Reads in chunks of ``Options/readChunkSize`` events, each in
    /// its own read transaction, so a long scan never pins old pages.
    ///
    /// Positions come dense and in order or the scan throws (``ReadCheck``); with `.chain` every
    /// record's chain hash is recomputed too. Either way the scan never hands out a record that is
    /// not the log's, and a damaged log stops it at the position with the remedy.
    public func scan(
        from position: UInt64,
        through last: UInt64 = .max,
        limit: Int = .max,
        checking check: ReadCheck = .structure,
        _ body: (EventView) throws -> Void
    ) throws {
        try scan(from: position, through: last, limit: limit, checking: check, releasing: nil, body)
    }

    /// ``scan(from:through:limit:checking:_:)``, asking whether to let go of the store's resident
    /// pages whenever the records read have moved onto `budget`'s number of pages
    /// (``EventStore/scanReleasingPages(from:through:chunk:reached:_:)``).
    func scan(
        from position: UInt64, through last: UInt64, limit: Int, checking check: ReadCheck,
        releasing budget: PageBudget?, _ body: (EventView) throws -> Void
    ) throws {
        var budget = budget
        var next = max(position, 1)
        var remaining = limit
        let chunk = max(1, options.readChunkSize)
        var previous: Hash32?
        if check == .chain {
            previous =
                next == 1
                ? .zero
                : try reading { txn in
                    Hash32(try Self.event(at: next - 1, txn, databases).hashBytes)
                }
        }
        while remaining > 0, next <= last {
            let read = try reading(at: next) { txn -> Int in
                try txn.withCursor(databases.events) { cursor -> Int in
                    var key = Keys.position(next)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
                    var count = 0
                    while let e = entry, count < min(chunk, remaining) {
                        let view = try Self.view(e.key, e.value)
                        guard view.position == next else {
                            throw Self.damaged(
                                at: next,
                                view.position > next
                                    ? "missing from the log (the next record is at \(view.position))"
                                    : "the log goes back to position \(view.position) here: a damaged page repeats records"
                            )
                        }
                        if view.position > last { break }
                        if let hash = previous {
                            let computed = RecordLayout.chainHash(
                                previous: hash, position: view.position, body: view.hashedBytes)
                            guard computed == Hash32(view.hashBytes) else {
                                throw Self.damaged(
                                    at: view.position, "hash mismatch: the record or its predecessor's hash was changed"
                                )
                            }
                            previous = computed
                        }
                        try body(view)
                        next = view.position + 1
                        count += 1
                        if budget?.spent(reading: e.value) == true { txn.releaseResidentPagesIfGrown() }
                        entry = try cursor.next()
                    }
                    return count
                }
            }
            if read == 0 { break }
            remaining -= read
        }
    }

    /// The event with `id`, or `nil`.
    public func event(id: UUID) throws -> RecordedEvent? {
        try reading { txn in try Self.event(id: id, txn, databases) }
    }

    /// The first of `ids` that is stored, with its offset in `ids`, or `nil` when none is: one read
    /// transaction for all of them (a command's events may be stored under either of two id forms,
    /// and every new command asks for both).
    public func firstEvent(ids: [UUID]) throws -> (offset: Int, event: RecordedEvent)? {
        try reading { txn in
            for (offset, id) in ids.enumerated() {
                if let event = try Self.event(id: id, txn, databases) { return (offset, event) }
            }
            return nil
        }
    }

    private static func event(id: UUID, _ txn: borrowing Transaction, _ databases: Databases) throws -> RecordedEvent? {
        let position = try withUnsafeBytes(of: id.uuid) { k in
            try txn.get(databases.eventIds, key: k).map { Bytes.loadLE($0, at: 0, as: UInt64.self) }
        }
        guard let position else { return nil }
        let view = try event(at: position, txn, databases)
        guard view.id == id else {
            throw damaged(
                at: position,
                "eventIds names it for event \(id.lowercaseText), but it holds event \(view.id.lowercaseText)"
            )
        }
        return view.materialize()
    }

    /// The event at `position`, or `nil`.
    public func event(at position: UInt64) throws -> RecordedEvent? {
        try read(from: position, limit: 1).first.flatMap { $0.position == position ? $0 : nil }
    }

    /// The head of `stream`, or `nil` if it has no events.
    public func streamHead(_ stream: String) throws -> StreamHead? {
        try reading { txn in try Self.streamHead(stream, txn, databases) }
    }

    /// Stream heads in name order, starting after `name`.
    public func streamHeads(after name: String? = nil, limit: Int = 1_000) throws -> [StreamHead] {
        try reading { txn in
            try txn.withCursor(databases.streams) { cursor in
                var out: [StreamHead] = []
                var entry: Cursor.Entry?
                if let name {
                    entry = try Array(name.utf8).withUnsafeBytes { try cursor.seek(atLeast: $0) }
                    if let e = entry, String(decoding: e.key, as: UTF8.self) == name { entry = try cursor.next() }
                } else {
                    entry = try cursor.first()
                }
                while let e = entry, out.count < limit {
                    out.append(StreamHead(stream: String(decoding: e.key, as: UTF8.self), decoding: e.value))
                    entry = try cursor.next()
                }
                return out
            }
        }
    }

    /// Counts and sizes.
    public func statistics() throws -> LogStatistics {
        let info = environment.info()
        return try reading { txn in
            var sizes: [String: DatabaseStatistics] = [:]
            for (name, db) in [
                ("events", databases.events), ("streams", databases.streams), ("streamIndex", databases.streamIndex),
                ("eventIds", databases.eventIds), ("meta", databases.meta),
            ] {
                sizes[name] = try txn.statistics(db)
            }
            let head = try txn.withCursor(databases.events) { cursor -> LogHead in
                guard let last = try cursor.last() else { return LogHead(position: 0, hash: Hash32.zero.array) }
                let view = try Self.view(last.key, last.value)
                return LogHead(position: view.position, hash: Array(view.hashBytes))
            }
            return LogStatistics(
                head: head,
                events: UInt64(sizes["events"]?.entries ?? 0),
                streams: UInt64(sizes["streams"]?.entries ?? 0),
                databases: sizes,
                mapSize: info.mapSize,
                usedBytes: info.usedBytes,
                formatVersion: Self.formatVersion
            )
        }
    }

    // MARK: - Helpers inside a transaction

    @inline(__always)
    static func view(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> EventView {
        guard key.count == 8 else {
            throw EventStoreError(
                .corrupted,
                "the log holds a \(key.count)-byte key where positions are 8 bytes" + EventStoreError.restoreRemedy)
        }
        let position = Bytes.loadBE(key)
        if !EventView.isWellFormed(value), let problem = EventView.validate(value) {
            throw damaged(at: position, problem)
        }
        return EventView(position: position, bytes: value)
    }

    static func event(at position: UInt64, _ txn: borrowing Transaction, _ dbs: Databases) throws -> EventView {
        guard let view = try storedEvent(at: position, txn, dbs) else {
            throw damaged(at: position, "an index names this position, which cannot be found in the log")
        }
        return view
    }

    /// The record at `position`, checked, or `nil` when the log has no such position.
    static func storedEvent(at position: UInt64, _ txn: borrowing Transaction, _ dbs: Databases) throws -> EventView? {
        var key = Keys.position(position)
        guard let value = try withUnsafeBytes(of: &key, { try txn.get(dbs.events, key: $0) }) else { return nil }
        if let problem = EventView.validate(value) { throw damaged(at: position, problem) }
        return EventView(position: position, bytes: value)
    }

    /// Runs `body` in a read transaction; LMDB's failures come out as ``EventStoreError``s that say
    /// what they mean (damage, with the remedy, and the position being read when given).
    func reading<R>(at position: UInt64? = nil, _ body: (borrowing Transaction) throws -> R) throws -> R {
        do {
            return try environment.read(body)
        } catch let error as LMDBError {
            let failure = EventStoreError.storage(error)
            guard let position, failure.code == .corrupted else { throw failure }
            throw EventStoreError(
                failure.code, "position \(position): reading the log failed: \(failure.message)", cause: error)
        }
    }

    /// The log is not what it should be at `position`.
    static func damaged(at position: UInt64, _ problem: String) -> EventStoreError {
        EventStoreError(.corrupted, "position \(position): \(problem)" + EventStoreError.restoreRemedy)
    }

    static func streamHead(_ stream: String, _ txn: borrowing Transaction, _ dbs: Databases) throws -> StreamHead? {
        try stream.withUTF8Bytes { k in
            try txn.get(dbs.streams, key: k).map { StreamHead(stream: stream, decoding: $0) }
        }
    }
}

/// Counts and sizes of a store.
public struct LogStatistics: Sendable {
    /// The head.
    public var head: LogHead
    /// Events stored.
    public var events: UInt64
    /// Streams.
    public var streams: UInt64
    /// Each database's statistics.
    public var databases: [String: DatabaseStatistics]
    /// The map size in bytes.
    public var mapSize: Int
    /// Bytes used in the data file.
    public var usedBytes: Int
    /// The store's format version.
    public var formatVersion: UInt32
}
