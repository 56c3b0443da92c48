/// A chart drawn from a table of the report (its rows are the categories, the chosen columns the
/// series). The chart is a picture of the table, which is always printed with it.
public struct Chart: Sendable, Hashable {
    /// The kind of chart.
    public enum Kind: Sendable, Hashable {
        /// One horizontal bar per row, for one column (categories with long names).
        case bar
        /// One vertical column per row, for one column (months).
        case columns
        /// One bar per row, stacked by the chosen columns (arrests by role by month).
        case stackedBar
        /// A histogram of minutes: one bar per row (a bin of `binMinutes`), with a line at the
        /// threshold.
        case histogram(binMinutes: Int, thresholdMinutes: Int)
    }

    /// Stable id.
    public var id: String
    /// What kind.
    public var kind: Kind
    /// Title (the SVG's `<title>`).
    public var title: String
    /// The table it draws.
    public var tableId: String
    /// The columns drawn (one for bars and histograms, several for stacked bars).
    public var series: [String]
    /// What the values are, for the axis (`recoveries`, `arrests`, `responses`).
    public var valueLabel: String
    /// Which rows are drawn: those at this indentation level (0: the top rows), totals never.
    public var rowLevel: Int

    /// A chart.
    public init(
        id: String, kind: Kind, title: String, tableId: String, series: [String], valueLabel: String,
        rowLevel: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.tableId = tableId
        self.series = series
        self.valueLabel = valueLabel
        self.rowLevel = rowLevel
    }
}
