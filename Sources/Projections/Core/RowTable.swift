/// Where a ``RowTable`` finds the rows it has not cached: the stored view, a rebuild's shadow or an
/// as-of's scratch views (LMDB databases).
public protocol RowBackend: AnyObject {
    /// The stored bytes of the row at `key` (``RowKey/encode(table:key:)``), or `nil`.
    func load(_ key: [UInt8]) throws -> [UInt8]?
    /// Whether it held no row when the tables over it were made (a scratch made for an as-of, or a
    /// shadow cleared for a rebuild): until a table forgets a row, a row it has not cached is absent.
    var startsEmpty: Bool { get }
}

extension RowBackend {
    public var startsEmpty: Bool { false }
}

/// How rows are keyed in a view's database: the table's name, a 0 byte, the row's key (UTF-8), so
/// a table's rows are contiguous and in key order.
public enum RowKey {
    /// The database key of row `key` of `table`.
    public static func encode(table: String, key: String) -> [UInt8] {
        var bytes = Array(table.utf8)
        bytes.append(0)
        bytes.append(contentsOf: key.utf8)
        return bytes
    }

    /// The prefix all of `table`'s keys share.
    public static func prefix(table: String) -> [UInt8] { Array(table.utf8) + [0] }

    /// The first 16 bytes of `key`'s UTF-8, big-endian in two integers (zeros past its end): in the
    /// order of the bytes, for sorting.
    static func leadingBytes(_ key: String) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        var i = 0
        for byte in key.utf8 {
            if i == 16 { break }
            if i < 8 {
                words.0 |= UInt64(byte) << (56 - 8 * UInt64(i))
            } else {
                words.1 |= UInt64(byte) << (56 - 8 * UInt64(i - 8))
            }
            i += 1
        }
        return words
    }
}

/// A table's rows, seen by the runner without their type.
public protocol AnyRowTable: AnyObject {
    /// The table's name.
    var name: String { get }
    /// Hands `write` every row changed since the last ``markClean()``, encoded, in key order: its
    /// database key (``RowKey``) and a value to store, or `nil` for a row deleted. The bytes are
    /// valid only during the call (one buffer serves every row).
    func writeChanges(_ write: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) throws
    /// Marks every change as stored (after the transaction that wrote ``writeChanges(_:)`` committed).
    func markClean()
    /// Forgets cached rows that are stored (clean), to bound memory; a later read loads them again.
    func evictClean()
    /// Forgets every cached row and every change not flushed (after another writer moved the view).
    func discardAll()
    /// Rows in the cache.
    var cachedCount: Int { get }
}

extension AnyRowTable {
    /// Every row changed since the last ``markClean()``, copied out in key order (``writeChanges(_:)``).
    public func changes() throws -> [(key: [UInt8], value: [UInt8]?)] {
        var out: [(key: [UInt8], value: [UInt8]?)] = []
        try writeChanges { key, value in out.append((Array(key), value.map { Array($0) })) }
        return out
    }
}

/// A cached row's bookkeeping, apart from the row: its key and the batch that last changed it. The
/// cache and the list of changed rows hold these, so what the runner calls on a table as
/// ``AnyRowTable`` (write, mark clean, forget) runs the same concrete code for every row type —
/// generic code reached through the protocol went through value witnesses for every entry it
/// touched.
class RowEntry {
    let key: String
    @exclusivity(unchecked) var changedIn: UInt64

    init(_ key: String, changedIn: UInt64) {
        self.key = key
        self.changedIn = changedIn
    }
}

/// One table of a projection: rows of one type by string key, read through a write-back cache.
///
/// A fold reads a row with ``get(_:)`` (from the cache, or loaded and decoded once), changes it with
/// ``put(_:_:)``, ``update(_:_:)`` or ``delete(_:)``; the runner writes the changed rows with the
/// checkpoint (``writeChanges(_:)``, then ``markClean()`` once they are committed). Not thread-safe:
/// a projection is folded by one runner.
public final class RowTable<Row: Codable & Sendable & Equatable>: AnyRowTable {
    public let name: String
    private let backend: any RowBackend

    /// A cached row (`nil`: known to be absent, or deleted since the last flush) and the batch that
    /// last changed it: it is changed (dirty) while that is the current ``batch``. A class, so the
    /// cache and the list of changed rows share it: a change costs one hash lookup, and a flush
    /// encodes the changed rows without looking them up again or copying them out.
    private final class Entry: RowEntry {
        @exclusivity(unchecked) var row: Row?

        init(_ key: String, _ row: Row?, changedIn: UInt64) {
            self.row = row
            super.init(key, changedIn: changedIn)
        }
    }

    // The table's state is touched by one fold at a time, never by two overlapping accesses (``modify(_:_:)``'s
    // body must not use the table): the run-time exclusivity check a class's stored property gets at
    // every access is turned off for the state read for every event.

    /// Cached rows (each an ``Entry``).
    @exclusivity(unchecked) private var cache: [String: RowEntry] = [:]
    /// The rows changed in the current batch, each once (each an ``Entry``).
    @exclusivity(unchecked) private var changed: [RowEntry] = []
    /// The current batch: ``markClean()`` starts a new one, which leaves every row clean at once.
    @exclusivity(unchecked) private var batch: UInt64 = 1
    /// Whether the cache holds every row there is (the backend started empty and no row was
    /// forgotten since): then a row not cached is absent, and the backend is not asked.
    @exclusivity(unchecked) private var cacheIsComplete: Bool
    /// Over a backend that started empty, every key forgotten since (``evictClean()``): a row not
    /// cached whose key it does not hold was never stored, and the backend is not asked. `nil` when
    /// the backend did not start empty, or the cache was discarded.
    @exclusivity(unchecked) private var forgotten: KeyFilter?
    /// Writes an entry's row into a sink (`false`: the row is deleted), by the row type's codec,
    /// found once per table rather than cast per row.
    private let encodeEntry: (RowEntry, RowSink) throws -> Bool

    /// A table named `name` over `backend`. Its rows are written by their generated codec when the
    /// row type has one (``RowCodable``, found once here: ``RowEncoder/encoder(for:)``), else by
    /// their `Codable` conformance; the bytes are the same.
    public convenience init(_ name: String, backend: any RowBackend) {
        self.init(name, backend: backend, encodeRow: RowEncoder.encoder(for: Row.self))
    }

    init(_ name: String, backend: any RowBackend, encodeRow: @escaping (Row, RowSink) throws -> Void) {
        self.name = name
        self.backend = backend
        encodeEntry = { base, sink in
            let entry = unsafeDowncast(base, to: Entry.self)
            guard case .some = entry.row else { return false }
            try encodeRow(entry.row.unsafelyUnwrapped, sink)
            return true
        }
        cacheIsComplete = backend.startsEmpty
    }

    /// The row at `key`, or `nil`.
    public func get(_ key: String) throws -> Row? {
        try entry(key)?.row
    }

    /// The cache entry of `key`, loaded when it is not cached (`nil`: no row, and none cached).
    private func entry(_ key: String) throws -> Entry? {
        if let cached = cache[key] { return unsafeDowncast(cached, to: Entry.self) }
        if cacheIsComplete { return nil }
        if let forgotten, !forgotten.mayContain(key) { return nil }
        let row = try backend.load(RowKey.encode(table: name, key: key)).map {
            try RowDecoder.decode(Row.self, from: $0)
        }
        let entry = Entry(key, row, changedIn: 0)
        cache[key] = entry
        return entry
    }

    /// Stores `row` at `key`.
    public func put(_ key: String, _ row: Row) { set(key, row) }

    /// Removes the row at `key`.
    public func delete(_ key: String) { set(key, nil) }

    private func set(_ key: String, _ row: Row?) {
        if let cached = cache[key] {
            unsafeDowncast(cached, to: Entry.self).row = row
            mark(cached)
        } else {
            let entry = Entry(key, row, changedIn: batch)
            cache[key] = entry
            changed.append(entry)
        }
    }

    /// Marks `entry` changed in the current batch, listing it once.
    @inline(__always)
    private func mark(_ entry: RowEntry) {
        guard entry.changedIn != batch else { return }
        entry.changedIn = batch
        changed.append(entry)
    }

    /// Changes the row at `key` in place, if there is one; returns whether there was.
    @discardableResult
    public func update(_ key: String, _ body: (inout Row) throws -> Void) throws -> Bool {
        guard var row = try get(key) else { return false }
        try body(&row)
        put(key, row)
        return true
    }

    /// Changes the row at `key` where the cache holds it — not a copy put back, so the arrays it
    /// holds are not copied on write — and marks it changed; returns what `body` returns, or `nil`
    /// when there is no row at `key`. `body` must not use this table; what it changed before it
    /// threw stays changed (unlike ``update(_:_:)``).
    public func modify<Result>(_ key: String, _ body: (inout Row) throws -> Result) throws -> Result? {
        guard let entry = try entry(key), case .some = entry.row else { return nil }
        mark(entry)
        return try body(&entry.row!)
    }

    public func writeChanges(_ write: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) throws {
        // In key order, so the writes walk the database's pages in order (a different order would
        // write the same rows). Sorted as a concrete array of each key's first 16 bytes and its
        // position, the keys compared whole only where those are equal (comparing `String`s
        // retained them).
        let changed = self.changed
        var order: [(head: UInt64, next: UInt64, index: Int)] = []
        order.reserveCapacity(changed.count)
        for index in changed.indices {
            let (head, next) = RowKey.leadingBytes(changed[index].key)
            order.append((head, next, index))
        }
        order.sort { a, b in
            if a.head != b.head { return a.head < b.head }
            if a.next != b.next { return a.next < b.next }
            return changed[a.index].key < changed[b.index].key
        }
        var key = RowKey.prefix(table: name)
        let prefix = key.count
        let sink = RowSink()
        for (_, _, i) in order {
            let entry = changed[i]
            key.removeLast(key.count - prefix)
            key.append(contentsOf: entry.key.utf8)
            sink.bytes.removeAll(keepingCapacity: true)
            // Encoded in place from the entry (nothing for a deleted row).
            guard try encodeEntry(entry, sink) else {
                try key.withUnsafeBytes { try write($0, nil) }
                continue
            }
            try key.withUnsafeBytes { k in try sink.bytes.withUnsafeBytes { v in try write(k, v) } }
        }
    }

    public func markClean() {
        changed.removeAll(keepingCapacity: true)
        batch += 1
    }

    public func evictClean() {
        if cache.count > changed.count {
            // What a complete cache forgets is remembered by key, and then all it forgets.
            if cacheIsComplete || forgotten != nil {
                var filter = forgotten ?? KeyFilter()
                forgotten = nil  // the filter's bits are not copied to be changed
                for (key, entry) in cache where entry.changedIn != batch { filter.insert(key) }
                forgotten = filter
            }
            cacheIsComplete = false
        }
        if changed.isEmpty {
            cache.removeAll(keepingCapacity: true)
        } else {
            let batch = self.batch
            cache = cache.filter { $0.value.changedIn == batch }
        }
    }

    public func discardAll() {
        cacheIsComplete = false
        forgotten = nil
        cache.removeAll()
        changed.removeAll()
        batch += 1
    }

    public var cachedCount: Int { cache.count }
}
