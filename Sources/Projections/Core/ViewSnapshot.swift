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

/// The rows of some stored projections held in memory: copied out of one read transaction, decoded
/// when asked for (an as-of replay reads ``ScratchViews`` instead).
public struct ViewSnapshot: ViewReader, Sendable {
    /// The last position folded into the rows (for several projections at different checkpoints,
    /// the lowest).
    public var position: UInt64
    /// When that position was recorded: the moment the figures are "as known at" (`nil` for an
    /// empty log).
    public var recordedAt: Timestamp?
    /// The log's head when the snapshot was taken (equal to ``position`` for an as-of replay).
    public var head: UInt64
    /// Rows: projection → table → the table's rows, keys ascending.
    var tables: [String: [String: any SnapshotTable]]

    init(position: UInt64, recordedAt: Timestamp?, head: UInt64, tables: [String: [String: any SnapshotTable]]) {
        self.position = position
        self.recordedAt = recordedAt
        self.head = head
        self.tables = tables
    }

    public func scan<Row>(_ table: TableRef<Row>, from start: String, _ body: (String, Row) throws -> Bool) throws {
        guard let rows = tables[table.projection]?[table.table] else { return }
        let keys = rows.keys
        var i = Self.lowerBound(keys, start)
        while i < keys.count {
            guard try body(keys[i], try rows.row(i, as: Row.self)) else { return }
            i += 1
        }
    }

    /// The row of `table` at `key`, or `nil`.
    public func row<Row>(_ table: TableRef<Row>, _ key: String) throws -> Row? {
        guard let rows = tables[table.projection]?[table.table] else { return nil }
        let i = Self.lowerBound(rows.keys, key)
        guard i < rows.keys.count, rows.keys[i] == key else { return nil }
        return try rows.row(i, as: Row.self)
    }

    /// Whether the snapshot holds `projection`'s rows.
    public func contains(projection: String) -> Bool { tables[projection] != nil }

    private static func lowerBound(_ keys: [String], _ key: String) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Groups encoded database entries (``RowKey`` keys, ascending) by table.
    static func group(_ entries: [(key: [UInt8], value: [UInt8])]) -> [String: any SnapshotTable] {
        var out: [String: EncodedRows] = [:]
        for entry in entries {
            guard let split = entry.key.firstIndex(of: 0) else { continue }
            let table = String(decoding: entry.key[..<split], as: UTF8.self)
            let key = String(decoding: entry.key[(split + 1)...], as: UTF8.self)
            out[table, default: EncodedRows()].append(key, entry.value)
        }
        return out
    }
}

/// One table's rows in a ``ViewSnapshot``, keys ascending.
protocol SnapshotTable: Sendable {
    /// The rows' keys, ascending.
    var keys: [String] { get }
    /// The row at index `i` of ``keys``, as `Row`.
    func row<Row: Decodable>(_ i: Int, as: Row.Type) throws -> Row
}

/// Rows as stored (copied out of the view's database), decoded when read.
struct EncodedRows: SnapshotTable {
    private(set) var keys: [String] = []
    private var values: [[UInt8]] = []

    mutating func append(_ key: String, _ value: [UInt8]) {
        keys.append(key)
        values.append(value)
    }

    func row<Row: Decodable>(_ i: Int, as: Row.Type) throws -> Row {
        try RowDecoder.decode(Row.self, from: values[i])
    }
}
