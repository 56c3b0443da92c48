/// Builds a table of figures broken down by a category, with a total row and the additive lines
/// small-cell suppression needs (each additive column's categories sum to its total).
struct Breakdown<Fact> {
    /// A column: how a group of facts becomes a figure.
    struct Measure {
        var id: String
        var title: String
        /// Whether the column's categories add up to its total.
        var additive: Bool
        /// The figure of a group.
        var value: ([Fact]) -> Cell.Value
        /// Columns of the same row this figure is computed from (withheld with them).
        var basis: [String] = []
    }

    /// A row: a category (or a group of categories at level 0 with its members at level 1).
    struct Category {
        var id: String
        var label: String
        var level = 0
        /// For a level-0 group: the ids of its level-1 members.
        var members: [String] = []
        var matches: (Fact) -> Bool
    }

    var id: String
    var title: String
    var rowHeading: String
    var measures: [Measure]
    var note: String?
    /// Keys the total row's figures share with other tables, by column id.
    var totalKeys: [String: String] = [:]
    var totalLabel = "Total"

    /// The table, and its additive lines.
    func table(_ facts: [Fact], _ categories: [Category]) -> (ReportTable, [SmallCellRule.Line]) {
        var table = ReportTable(
            id: id, title: title, rowHeading: rowHeading, columns: measures.map { .init($0.id, $0.title) }, note: note)
        var lines: [SmallCellRule.Line] = []
        func cells(_ rowId: String, _ group: [Fact], shared: [String: String] = [:]) -> [Cell?] {
            let keyOf = { (m: String) in shared[m] ?? table.key(rowId, m) }
            return measures.map { m in
                Cell(key: keyOf(m.id), value: m.value(group), basis: m.basis.map(keyOf))
            }
        }
        for c in categories {
            table.rows.append(
                .init(id: c.id, label: c.label, cells: cells(c.id, facts.filter(c.matches)), level: c.level))
            for m in measures where m.additive && !c.members.isEmpty {
                lines.append(.init(total: table.key(c.id, m.id), parts: c.members.map { table.key($0, m.id) }))
            }
        }
        table.rows.append(
            .init(id: "total", label: totalLabel, cells: cells("total", facts, shared: totalKeys), isTotal: true))
        let top = categories.filter { $0.level == 0 }.map(\.id)
        for m in measures where m.additive {
            lines.append(
                .init(total: totalKeys[m.id] ?? table.key("total", m.id), parts: top.map { table.key($0, m.id) }))
        }
        return (table, lines)
    }
}

/// Whole minutes from seconds, half a minute rounding up.
func wholeMinutes(_ seconds: Int64) -> Int { Int((seconds + 30) / 60) }

/// `part` of `whole` in percent, or nil when `whole` is zero.
func percent(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) * 100 / Double(whole) }
