public import EventStore

/// A table of a projection, by name, with the type of its rows: how a query asks a
/// ``ViewSnapshot`` for rows.
public struct TableRef<Row: Codable & Sendable & Equatable>: Sendable {
    /// The projection the table belongs to.
    public let projection: String
    /// The table's name within it.
    public let table: String

    /// A reference.
    public init(projection: String, table: String) {
        self.projection = projection
        self.table = table
    }
}

/// The rows of some projections held in memory: views folded in memory (an as-of replay), or stored
/// views copied out of one read transaction. Rows are decoded when asked for.
public struct ViewSnapshot: ViewReader, Sendable {
    /// The last position folded into the rows (for several projections at different checkpoints,
    /// the lowest).
    public var position: UInt64
    /// When that position was recorded: the moment the figures are "as known at" (`nil` for an
    /// empty log).
    public var recordedAt: Timestamp?
    /// The log's head when the snapshot was taken (equal to ``position`` for an as-of replay).
    public var head: UInt64
    /// Encoded rows: projection → table → (key, row bytes), keys ascending.
    var tables: [String: [String: [(key: String, bytes: [UInt8])]]]

    /// Rows of `projections` folded in memory (their tables' caches, over a ``MemoryBackend``),
    /// standing at `position`.
    public init(_ projections: [any Projection], position: UInt64, recordedAt: Timestamp?, head: UInt64) throws {
        var tables: [String: [String: [(key: String, bytes: [UInt8])]]] = [:]
        for projection in projections {
            let name = type(of: projection).name
            tables[name] = Self.group(try projection.tables.flatMap { try $0.encodedRows() })
        }
        self.init(position: position, recordedAt: recordedAt, head: head, tables: tables)
    }

    init(
        position: UInt64, recordedAt: Timestamp?, head: UInt64,
        tables: [String: [String: [(key: String, bytes: [UInt8])]]]
    ) {
        self.position = position
        self.recordedAt = recordedAt
        self.head = head
        self.tables = tables
    }

    public func scan<Row>(_ table: TableRef<Row>, from start: String, _ body: (String, Row) throws -> Bool) throws {
        guard let entries = tables[table.projection]?[table.table] else { return }
        for entry in entries[lowerBound(entries, start)...] {
            guard try body(entry.key, try RowDecoder.decode(Row.self, from: entry.bytes)) else { return }
        }
    }

    private func lowerBound(_ entries: [(key: String, bytes: [UInt8])], _ key: String) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The row of `table` at `key`, or `nil`.
    public func row<Row>(_ table: TableRef<Row>, _ key: String) throws -> Row? {
        guard let entries = tables[table.projection]?[table.table] else { return nil }
        let low = lowerBound(entries, key)
        guard low < entries.count, entries[low].key == key else { return nil }
        return try RowDecoder.decode(Row.self, from: entries[low].bytes)
    }

    /// Whether the snapshot holds `projection`'s rows.
    public func contains(projection: String) -> Bool { tables[projection] != nil }

    /// Groups encoded database entries (``RowKey`` keys, ascending) by table.
    static func group(_ entries: [(key: [UInt8], value: [UInt8])]) -> [String: [(key: String, bytes: [UInt8])]] {
        var out: [String: [(key: String, bytes: [UInt8])]] = [:]
        for entry in entries {
            guard let split = entry.key.firstIndex(of: 0) else { continue }
            let table = String(decoding: entry.key[..<split], as: UTF8.self)
            let key = String(decoding: entry.key[(split + 1)...], as: UTF8.self)
            out[table, default: []].append((key, entry.value))
        }
        return out
    }
}
