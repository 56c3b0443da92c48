public import EventStore

/// Read access to projections' rows as they stood at one moment: the stored views in one read
/// transaction (``ProjectionRunner/read(_:_:)``), or views folded in memory (a ``ViewSnapshot`` of an
/// as-of replay). Queries read through it and never know which.
public protocol ViewReader {
    /// The last position folded into the rows (for several projections, the lowest checkpoint).
    var position: UInt64 { get }
    /// When that position was recorded: the moment the figures are "as known at".
    var recordedAt: Timestamp? { get }
    /// The log's head when the rows were read.
    var head: UInt64 { get }
    /// The row of `table` at `key`, or `nil`.
    func row<Row>(_ table: TableRef<Row>, _ key: String) throws -> Row?
    /// Calls `body` with the rows of `table` whose keys are at least `start`, in key order, until
    /// it returns `false`.
    func scan<Row>(_ table: TableRef<Row>, from start: String, _ body: (String, Row) throws -> Bool) throws
}

extension ViewReader {
    /// Every row of `table`, in key order.
    public func rows<Row>(_ table: TableRef<Row>) throws -> [Row] {
        var out: [Row] = []
        try scan(table, from: "") { _, row in
            out.append(row)
            return true
        }
        return out
    }

    /// How far the rows are behind the log.
    public var lag: UInt64 { head - min(head, position) }
}
