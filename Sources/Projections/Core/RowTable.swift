import Glibc

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

    /// Whether `a` comes before `b` in a database (bytes compared as unsigned, a prefix first).
    public static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }
}

/// A table's rows, seen by the runner without their type.
public protocol AnyRowTable: AnyObject {
    /// The table's name.
    var name: String { get }
    /// Every row changed since the last ``markClean()``, encoded, in key order: a value to store, or
    /// `nil` for a row deleted.
    func changes() throws -> [(key: [UInt8], value: [UInt8]?)]
    /// Marks every change as stored (after the transaction that wrote ``changes()`` committed).
    func markClean()
    /// Forgets cached rows that are stored (clean), to bound memory; a later read loads them again.
    func evictClean()
    /// Forgets every cached row and every change not flushed (after another writer moved the view).
    func discardAll()
    /// Rows in the cache.
    var cachedCount: Int { get }
}

/// One table of a projection: rows of one type by string key, read through a write-back cache.
///
/// A fold reads a row with ``get(_:)`` (from the cache, or loaded and decoded once), changes it with
/// ``put(_:_:)``, ``update(_:_:)`` or ``delete(_:)``; the runner writes the changed rows with the
/// checkpoint (``changes()``, then ``markClean()`` once they are committed). Not thread-safe: a
/// projection is folded by one runner.
public final class RowTable<Row: Codable & Sendable & Equatable>: AnyRowTable {
    public let name: String
    private let backend: any RowBackend

    /// A cached row (`nil`: known to be absent, or deleted since the last flush) and the batch that
    /// last changed it: it is changed (dirty) while that is the current ``batch``. A class, so the
    /// cache and the list of changed rows share it: a change costs one hash lookup, and a flush
    /// encodes the changed rows without looking them up again or copying them out.
    private final class Entry {
        let key: String
        var row: Row?
        var changedIn: UInt64

        init(_ key: String, _ row: Row?, changedIn: UInt64) {
            self.key = key
            self.row = row
            self.changedIn = changedIn
        }
    }

    /// Cached rows.
    private var cache: [String: Entry] = [:]
    /// The rows changed in the current batch, each once.
    private var changed: [Entry] = []
    /// The current batch: ``markClean()`` starts a new one, which leaves every row clean at once.
    private var batch: UInt64 = 1
    /// What a row the cache does not hold tells.
    private enum Misses {
        /// The cache holds every row there is (the backend started empty and no row was forgotten
        /// since): a row not cached is absent, and the backend is not asked.
        case absent
        /// The backend started empty and holds only rows this table wrote; the keys of those it
        /// forgot are in the filter: a row not cached whose key the filter has not seen is absent.
        case absentUnlessForgotten(KeyFilter)
        /// Only the backend knows.
        case unknown
    }

    private var misses: Misses

    /// A table named `name` over `backend`.
    public init(_ name: String, backend: any RowBackend) {
        self.name = name
        self.backend = backend
        misses = backend.startsEmpty ? .absent : .unknown
    }

    /// The row at `key`, or `nil`.
    public func get(_ key: String) throws -> Row? {
        try entry(key)?.row
    }

    /// The cache entry of `key`, loaded when it is not cached (`nil`: no row, and none cached).
    private func entry(_ key: String) throws -> Entry? {
        if let cached = cache[key] { return cached }
        switch misses {
        case .absent: return nil
        case .absentUnlessForgotten(let filter) where !filter.mayContain(key): return nil
        default: break
        }
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
        if let entry = cache[key] {
            entry.row = row
            mark(entry)
        } else {
            let entry = Entry(key, row, changedIn: batch)
            cache[key] = entry
            changed.append(entry)
        }
    }

    /// Marks `entry` changed in the current batch, listing it once.
    @inline(__always)
    private func mark(_ entry: Entry) {
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

    public func changes() throws -> [(key: [UInt8], value: [UInt8]?)] {
        var out: [(key: [UInt8], value: [UInt8]?)] = []
        out.reserveCapacity(changed.count)
        for entry in changed { out.append((RowKey.encode(table: name, key: entry.key), try Self.encoded(entry))) }
        // In the database's own order (bytes), which is the keys' order: an array of a concrete type,
        // so the sort is specialized (sorting the generic entries went through value witnesses).
        out.sort { RowKey.precedes($0.key, $1.key) }
        return out
    }

    /// The entry's row, encoded (`nil`: deleted), read in place.
    @inline(__always)
    private static func encoded(_ entry: Entry) throws -> [UInt8]? {
        guard case .some = entry.row else { return nil }
        return try RowEncoder.encode(entry.row.unsafelyUnwrapped)
    }

    public func markClean() {
        changed.removeAll(keepingCapacity: true)
        batch += 1
    }

    public func evictClean() {
        if cache.count > changed.count { rememberForgotten() }
        if changed.isEmpty {
            cache.removeAll(keepingCapacity: true)
        } else {
            cache = cache.filter { $0.value.changedIn == batch }
        }
    }

    /// Adds the keys of the stored rows about to be forgotten (the clean ones) to the filter of a
    /// table whose backend started empty.
    private func rememberForgotten() {
        var filter: KeyFilter
        switch misses {
        case .unknown: return
        case .absent: filter = KeyFilter()
        case .absentUnlessForgotten(let existing): filter = existing
        }
        misses = .unknown  // the filter is not shared while it changes
        for entry in cache.values where entry.changedIn != batch && entry.row != nil { filter.insert(entry.key) }
        misses = .absentUnlessForgotten(filter)
    }

    public func discardAll() {
        misses = .unknown
        cache.removeAll()
        changed.removeAll()
        batch += 1
    }

    public var cachedCount: Int { cache.count }
}
