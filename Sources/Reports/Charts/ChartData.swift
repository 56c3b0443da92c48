/// The numbers a chart draws, read from its table: one category per row, one value per series.
struct ChartData {
    struct Value {
        /// The count, or nil when suppressed.
        var count: Int?
        /// What the table shows.
        var display: String
        /// The height drawn: the count, or the largest value a suppressed count can have.
        var drawn: Double { Double(count ?? (SmallCellRule.threshold - 1)) }
    }

    struct Category {
        var label: String
        var values: [Value]
        var total: Double { values.reduce(0) { $0 + $1.drawn } }
    }

    var series: [(id: String, title: String)]
    var categories: [Category]

    init(_ chart: Chart, _ table: ReportTable) {
        series = chart.series.compactMap { id in
            table.columns.first { $0.id == id }.map { (id, $0.title) }
        }
        let columnIndexes = series.compactMap { s in table.columns.firstIndex { $0.id == s.id } }
        categories = table.rows.filter { !$0.isTotal && $0.level == chart.rowLevel }.map { row in
            Category(
                label: row.label,
                values: columnIndexes.map { i in
                    let cell = row.cells[i]
                    return Value(count: cell?.suppressed == true ? nil : cell?.count, display: cell?.display ?? "–")
                })
        }
    }

    var maximum: Double { categories.map(\.total).max() ?? 0 }
    var hasSuppressed: Bool { categories.contains { $0.values.contains { $0.count == nil } } }

    /// The chart's text alternative: what it shows, its largest value, and where every value is.
    func description(_ chart: Chart, _ table: ReportTable) -> String {
        let kind: String
        switch chart.kind {
        case .bar, .columns: kind = "Bar chart"
        case .stackedBar: kind = "Stacked bar chart"
        case .histogram(let bin, let threshold):
            kind = "Histogram in \(bin)-minute bins with a line at \(threshold) minutes"
        }
        var parts = ["\(kind) of \(chart.valueLabel) by \(table.rowHeading.lowercased()), \(categories.count) bars."]
        if series.count > 1 { parts.append("Stacked: " + series.map(\.title).joined(separator: ", ") + ".") }
        let known = categories.filter { c in c.values.allSatisfy { $0.count != nil } }
        if let top = known.max(by: { $0.total < $1.total }), top.total > 0 {
            parts.append("Largest: \(top.label) (\(Int(top.total))).")
        }
        let values = categories.map { c in
            c.label + " " + (c.values.count == 1 ? c.values[0].display : c.values.map(\.display).joined(separator: "/"))
        }
        parts.append("Values: " + values.joined(separator: "; ") + ".")
        if hasSuppressed { parts.append("Bars marked <11 are suppressed counts, drawn hatched at most 10 high.") }
        parts.append("The table \"\(table.title)\" gives every value.")
        return parts.joined(separator: " ")
    }
}
