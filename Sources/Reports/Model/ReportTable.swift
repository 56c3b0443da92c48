/// A table of a report: rows of figures under named columns. Every chart is drawn from one, and
/// the table is printed beside it, so nothing is only in a picture.
public struct ReportTable: Sendable, Hashable {
    /// A column.
    public struct Column: Sendable, Hashable {
        /// Stable id (part of each figure's key).
        public var id: String
        /// Heading.
        public var title: String

        /// A column.
        public init(_ id: String, _ title: String) {
            self.id = id
            self.title = title
        }
    }

    /// A row.
    public struct Row: Sendable, Hashable {
        /// Stable id (part of each figure's key).
        public var id: String
        /// What the row is.
        public var label: String
        /// One cell per column; nil where the column does not apply.
        public var cells: [Cell?]
        /// Indentation: 1 for a row that is part of the row above it (a station under its agency).
        public var level: Int
        /// Whether it is a total.
        public var isTotal: Bool

        /// A row.
        public init(id: String, label: String, cells: [Cell?], level: Int = 0, isTotal: Bool = false) {
            self.id = id
            self.label = label
            self.cells = cells
            self.level = level
            self.isTotal = isTotal
        }
    }

    /// Stable id, unique in the report.
    public var id: String
    /// Title.
    public var title: String
    /// What the rows are (the first column's heading).
    public var rowHeading: String
    /// Columns of figures.
    public var columns: [Column]
    /// Rows.
    public var rows: [Row]
    /// A note printed under the table.
    public var note: String?

    /// A table.
    public init(
        id: String, title: String, rowHeading: String, columns: [Column], rows: [Row] = [], note: String? = nil
    ) {
        self.id = id
        self.title = title
        self.rowHeading = rowHeading
        self.columns = columns
        self.rows = rows
        self.note = note
    }

    /// The key of the figure in `row`, `column`.
    public func key(_ row: String, _ column: String) -> String { "\(id).\(row).\(column)" }

    /// The cell in row `row`, column `column`.
    public func cell(_ row: String, _ column: String) -> Cell? {
        guard let c = columns.firstIndex(where: { $0.id == column }),
            let r = rows.first(where: { $0.id == row })
        else { return nil }
        return r.cells[c]
    }

    /// Every cell, row by row.
    public var cells: [Cell] { rows.flatMap { $0.cells.compactMap { $0 } } }
}
