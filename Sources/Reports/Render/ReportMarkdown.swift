import FirstResponder

/// The report as Markdown: the same sections and tables, each chart given by its title and text
/// alternative (the table under it has every value), the data notes and the stamp.
public enum ReportMarkdown {
    /// The report as Markdown (UTF-8).
    public static func render(_ report: Report) -> [UInt8] {
        var out = "# \(report.title)\n\n"
        out += ReportText.periodLine(report) + "\n\n"
        var figure = 0
        var tableNumber = 0
        for (n, section) in report.sections.enumerated() {
            out += "## \(n + 1). \(section.title)\n\n"
            for block in section.blocks {
                switch block {
                case .text(let t):
                    out += t + "\n\n"
                case .chart(let chart):
                    guard let table = report.table(chart.tableId) else { continue }
                    figure += 1
                    let (_, description) = ChartRenderer.svg(chart, table: table)
                    out += "**Figure \(figure). \(chart.title).** \(description)\n\n"
                case .table(let table):
                    tableNumber += 1
                    out += "**Table \(tableNumber). \(table.title)**\n\n"
                    out += markdownTable(table) + "\n"
                    if let note = table.note { out += "_\(note)_\n\n" }
                }
            }
        }
        out += "## \(report.sections.count + 1). Data notes\n\n"
        for note in report.notes { out += "- **\(note.topic).** \(note.text)\n" }
        for f in report.footnotes { out += "\n\\* \(f)\n" }
        out += "\n### Reproducibility stamp\n\n"
        for (topic, text) in ReportText.stampLines(report.stamp) { out += "- \(topic): `\(text)`\n" }
        return Array(out.utf8)
    }

    private static func markdownTable(_ t: ReportTable) -> String {
        var s = "| " + ([t.rowHeading] + t.columns.map(\.title)).map(cell).joined(separator: " | ") + " |\n"
        s += "|" + ([":--"] + t.columns.map { _ in "--:" }).joined(separator: "|") + "|\n"
        for row in t.rows {
            var label = String(repeating: "\u{2003}", count: row.level) + cell(row.label)
            if row.isTotal { label = "**\(label)**" }
            s += "| " + ([label] + row.cells.map { cell($0?.display ?? "") }).joined(separator: " | ") + " |\n"
        }
        return s
    }

    /// `s` safe in a table cell: pipes escaped, and "<" escaped where it could open an HTML tag
    /// ("<11" stays as it is).
    private static func cell(_ s: String) -> String {
        var out = ""
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            switch c {
            case "|": out += "\\|"
            case "<" where i + 1 < chars.count && (chars[i + 1].isLetter || "/!?".contains(chars[i + 1])):
                out += "&lt;"
            case "\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}

/// Sentences every format shares.
enum ReportText {
    /// "1 January 2025 to 31 August 2025, compared with …; as known on …".
    static func periodLine(_ report: Report) -> String {
        let r = report.request
        var s = "Period: \(long(r.period.first)) to \(long(r.period.last))"
        if let c = r.comparisonPeriod { s += ", compared with \(long(c.first)) to \(long(c.last))" }
        s += ". "
        switch r.knowledge {
        case .latest: s += "Figures as recorded in the log through position \(report.stamp.position)."
        case .knownOn(let t): s += "Figures as known on \(t.rfc3339) (log position \(report.stamp.position))."
        case .position(let p): s += "Figures as recorded in the log through position \(p)."
        }
        return s
    }

    /// The stamp as (label, value) lines.
    static func stampLines(_ s: ReportStamp) -> [(String, String)] {
        var lines = [("Log position", String(s.position)), ("Chain hash at that position", s.chainHash)]
        if let t = s.lastRecordedAt { lines.append(("Last event read was recorded at", t)) }
        lines.append(("Vigil version", s.vigilVersion))
        lines.append(("Recompute with", s.command))
        return lines
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// `1 January 2025`.
    static func long(_ d: CivilDate) -> String { "\(d.day) \(monthNames[d.month - 1]) \(d.year)" }

    /// `March 2025`.
    static func month(_ d: CivilDate) -> String { "\(monthNames[d.month - 1]) \(d.year)" }

    /// `Mar 2025`.
    static func shortMonth(_ d: CivilDate) -> String { "\(monthNames[d.month - 1].prefix(3)) \(d.year)" }
}
