public import Foundation
public import LMDB

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
        try environment.read { txn in
            try txn.withCursor(databases.events) { cursor in
                guard let last = try cursor.last() else { return LogHead(position: 0, hash: Hash32.zero.array) }
                let view = EventView(position: Bytes.loadBE(last.key), bytes: last.value)
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
            try environment.read { txn in
                try txn.withCursor(databases.events) { cursor in
                    var key = Keys.position(position)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atMost: $0) }
                    while let e = entry, out.count < limit {
                        out.append(try Self.view(e.key, e.value).materialize())
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
    public func scan(
        from position: UInt64,
        through last: UInt64 = .max,
        limit: Int = .max,
        _ body: (EventView) throws -> Void
    ) throws {
        var next = max(position, 1)
        var remaining = limit
        let chunk = max(1, options.readChunkSize)
        while remaining > 0, next <= last {
            let read = try environment.read { txn -> Int in
                try txn.withCursor(databases.events) { cursor -> Int in
                    var key = Keys.position(next)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
                    var count = 0
                    while let e = entry, count < min(chunk, remaining) {
                        let view = try Self.view(e.key, e.value)
                        if view.position > last { break }
                        try body(view)
                        next = view.position + 1
                        count += 1
                        entry = try cursor.next()
                    }
                    return count
                }
            }
            if read == 0 { break }
            remaining -= read
        }
    }

    /// Up to `limit` events of `stream` from `version` (inclusive), forward or backward. Empty when
    /// the stream does not exist.
    public func readStream(
        _ stream: String,
        from version: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max
    ) throws -> [RecordedEvent] {
        try environment.read { txn in
            guard let head = try Self.streamHead(stream, txn, databases), limit > 0 else { return [] }
            var versions: [UInt64] = []
            if direction == .forward {
                var v = max(version, 1)
                while v <= head.version, versions.count < limit {
                    versions.append(v)
                    v += 1
                }
            } else {
                var v = min(version, head.version)
                while v >= 1, versions.count < limit {
                    versions.append(v)
                    v -= 1
                }
            }
            return try versions.map { v in
                guard let position = try Keys.streamIndexLookup(version: v, stream: head.number, txn, databases) else {
                    throw EventStoreError(
                        .corrupted, "stream '\(stream)' version \(v) is missing from the stream index")
                }
                return try Self.event(at: position, txn, databases).materialize()
            }
        }
    }

    /// The event with `id`, or `nil`.
    public func event(id: UUID) throws -> RecordedEvent? {
        try environment.read { txn in
            let position = try withUnsafeBytes(of: id.uuid) { k in
                try txn.get(databases.eventIds, key: k).map { Bytes.loadLE($0, at: 0, as: UInt64.self) }
            }
            guard let position else { return nil }
            return try Self.event(at: position, txn, databases).materialize()
        }
    }

    /// The event at `position`, or `nil`.
    public func event(at position: UInt64) throws -> RecordedEvent? {
        try read(from: position, limit: 1).first.flatMap { $0.position == position ? $0 : nil }
    }

    /// The head of `stream`, or `nil` if it has no events.
    public func streamHead(_ stream: String) throws -> StreamHead? {
        try environment.read { txn in try Self.streamHead(stream, txn, databases) }
    }

    /// Stream heads in name order, starting after `name`.
    public func streamHeads(after name: String? = nil, limit: Int = 1_000) throws -> [StreamHead] {
        try environment.read { txn in
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
        return try environment.read { txn in
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
        let position = Bytes.loadBE(key)
        if !EventView.isWellFormed(value), let problem = EventView.validate(value) {
            throw EventStoreError(.corrupted, "position \(position): \(problem)")
        }
        return EventView(position: position, bytes: value)
    }

    static func event(at position: UInt64, _ txn: borrowing Transaction, _ dbs: Databases) throws -> EventView {
        var key = Keys.position(position)
        guard let value = try withUnsafeBytes(of: &key, { try txn.get(dbs.events, key: $0) }) else {
            throw EventStoreError(.corrupted, "an index names position \(position), which is not in the log")
        }
        if let problem = EventView.validate(value) {
            throw EventStoreError(.corrupted, "position \(position): \(problem)")
        }
        return EventView(position: position, bytes: value)
    }

    static func streamHead(_ stream: String, _ txn: borrowing Transaction, _ dbs: Databases) throws -> StreamHead? {
        try Array(stream.utf8).withUnsafeBytes { k in
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
