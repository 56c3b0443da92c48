import Foundation

/// Every figure of the report as one CSV row (RFC 4180), preceded by the request and the stamp as
/// rows of their own, so the file carries what reproduces it:
///
/// ```
/// key,section,table,row,column,value,shown
/// stamp.position,,,,,48213,48213
/// recoveries.by-month.2025-03.recoveries,recoveries,Recoveries by month,March 2025,Recoveries,42,42
/// ```
///
/// `value` is empty where the figure is suppressed, withheld or not measurable; `shown` is what the
/// report shows.
public enum ReportCSV {
    /// The header line's fields.
    public static let header = ["key", "section", "table", "row", "column", "value", "shown"]

    /// The report as CSV (UTF-8, CRLF line ends).
    public static func render(_ report: Report) -> [UInt8] {
        var lines: [[String]] = [header]
        for (key, value) in metadata(report) { lines.append([key, "", "", "", "", "", value]) }
        var seen = Set<String>()
        for section in report.sections {
            for table in section.tables {
                for row in table.rows {
                    for (column, cell) in zip(table.columns, row.cells) {
                        guard let cell, seen.insert(cell.key).inserted else { continue }
                        let value: String
                        if case .count(let n, _) = cell.value, !cell.suppressed {
                            value = String(n)
                        } else {
                            value = cell.machineValue.map { format($0, decimals: $0 == $0.rounded() ? 0 : 1) } ?? ""
                        }
                        lines.append([cell.key, section.id, table.title, row.label, column.title, value, cell.display])
                    }
                }
            }
        }
        var out = ""
        for line in lines { out += line.map(field).joined(separator: ",") + "\r\n" }
        return Array(out.utf8)
    }

    /// The request and the stamp as key–value pairs.
    static func metadata(_ report: Report) -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("report.title", report.title),
            ("request.from", report.request.period.first.description),
            ("request.to", report.request.period.last.description),
        ]
        if let c = report.request.comparisonPeriod {
            pairs.append(("request.compareTo", "\(c.first)..\(c.last)"))
        }
        switch report.request.knowledge {
        case .latest: break
        case .knownOn(let t): pairs.append(("request.asKnownOn", t.rfc3339))
        case .position(let p): pairs.append(("request.atPosition", String(p)))
        }
        pairs.append(("request.timeZone", report.request.calendar.name))
        pairs.append(("stamp.position", String(report.stamp.position)))
        pairs.append(("stamp.chainHash", report.stamp.chainHash))
        pairs.append(("stamp.vigilVersion", report.stamp.vigilVersion))
        if let t = report.stamp.lastRecordedAt { pairs.append(("stamp.lastRecordedAt", t)) }
        pairs.append(("stamp.command", report.stamp.command))
        return pairs
    }

    private static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
