/// The report as one self-contained HTML file: inline CSS, SVG charts inline, no script and no
/// external resource, so it opens anywhere, archives as one file and prints to A4 or Letter.
///
/// Accessibility: one `h1`, numbered `h2` sections, a contents list, every chart an SVG with
/// `role="img"`, a `<title>` and a `<desc>` (its text alternative), inside a `<figure>` whose
/// caption repeats the alternative, followed by the table it was drawn from (`<caption>`,
/// `<th scope>`), so nothing is only in a picture.
public enum ReportHTML {
    /// The report as HTML (UTF-8).
    public static func render(_ report: Report) -> [UInt8] {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta name=\"generator\" content=\"Vigil \(escape(report.stamp.vigilVersion))\">\n"
        h += "<title>\(escape(report.title))</title>\n<style>\n\(ReportHTMLStyle.css)\n</style>\n</head>\n<body>\n"
        h += "<header>\n<p class=\"org\">CSEC Integrated Leadership Team · First Responder Protocol</p>\n"
        h += "<h1>\(escape(report.title))</h1>\n<p class=\"period\">\(escape(ReportText.periodLine(report)))</p>\n"
        h += "</header>\n"
        h += keyFigures(report)
        h += "<nav aria-label=\"Contents\"><ol>\n"
        for (n, s) in report.sections.enumerated() {
            h += "<li><a href=\"#\(escape(s.id))\">\(n + 1). \(escape(s.title))</a></li>\n"
        }
        h += "<li><a href=\"#data-notes\">\(report.sections.count + 1). Data notes</a></li>\n</ol></nav>\n<main>\n"
        var figure = 0
        var tableNumber = 0
        for (n, section) in report.sections.enumerated() {
            h +=
                "<section class=\"report-section\" id=\"\(escape(section.id))\" aria-labelledby=\"\(escape(section.id))-h\">\n"
            h += "<h2 id=\"\(escape(section.id))-h\">\(n + 1). \(escape(section.title))</h2>\n"
            for block in section.blocks {
                switch block {
                case .text(let t):
                    h += "<p>\(escape(t))</p>\n"
                case .chart(let chart):
                    guard let table = report.table(chart.tableId) else { continue }
                    figure += 1
                    let (svg, description) = ChartRenderer.svg(chart, table: table)
                    h += "<figure id=\"\(escape(chart.id))\">\n\(svg)\n<figcaption><strong>Figure \(figure). "
                    h += "\(escape(chart.title)).</strong> \(escape(description))</figcaption>\n</figure>\n"
                case .table(let table):
                    tableNumber += 1
                    h += html(table, number: tableNumber)
                }
            }
            h += "</section>\n"
        }
        h += notes(report)
        h += "</main>\n"
        if !report.footnotes.isEmpty {
            h += "<footer class=\"footnote\">\n"
            for f in report.footnotes { h += "<p>* \(escape(f))</p>\n" }
            h += "</footer>\n"
        }
        h += "</body>\n</html>\n"
        return Array(h.utf8)
    }

    /// The headline figures, when the report has a summary table.
    private static func keyFigures(_ report: Report) -> String {
        guard let summary = report.tables.first(where: { $0.id == ReportBuilder.summaryTableId }) else { return "" }
        var h = "<ul class=\"keyfigures\" aria-label=\"Key figures\">\n"
        for row in summary.rows {
            guard let cell = row.cells.first ?? nil else { continue }
            h += "<li><span class=\"value\">\(escape(cell.display))</span> <span class=\"label\">"
            h += "\(escape(row.label))</span></li>\n"
        }
        return h + "</ul>\n"
    }

    private static func html(_ t: ReportTable, number: Int) -> String {
        var h = "<table id=\"\(escape(t.id))\">\n<caption>Table \(number). \(escape(t.title))</caption>\n<thead><tr>"
        h += "<th scope=\"col\">\(escape(t.rowHeading))</th>"
        for c in t.columns { h += "<th scope=\"col\">\(escape(c.title))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            var classes: [String] = []
            if row.isTotal { classes.append("total") }
            if row.level > 0 { classes.append("level\(row.level)") }
            h += classes.isEmpty ? "<tr>" : "<tr class=\"\(classes.joined(separator: " "))\">"
            h += "<th scope=\"row\">\(escape(row.label))</th>"
            for cell in row.cells {
                guard let cell else {
                    h += "<td></td>"
                    continue
                }
                h += cell.suppressed ? "<td class=\"suppressed\">" : "<td>"
                h += "\(escape(cell.display))</td>"
            }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if let note = t.note { h += "<p class=\"tablenote\">\(escape(note))</p>\n" }
        return h
    }

    private static func notes(_ report: Report) -> String {
        var h = "<section class=\"report-section\" id=\"data-notes\" aria-labelledby=\"data-notes-h\">\n"
        h += "<h2 id=\"data-notes-h\">\(report.sections.count + 1). Data notes</h2>\n<dl class=\"notes\">\n"
        for note in report.notes { h += "<dt>\(escape(note.topic))</dt><dd>\(escape(note.text))</dd>\n" }
        h += "</dl>\n<div class=\"stamp\" aria-label=\"Reproducibility stamp\">\n<h3>Reproducibility stamp</h3>\n"
        h += "<dl class=\"notes\">\n"
        for (topic, text) in ReportText.stampLines(report.stamp) {
            h += "<dt>\(escape(topic))</dt><dd><code>\(escape(text))</code></dd>\n"
        }
        h += "</dl>\n</div>\n</section>\n"
        return h
    }
}

extension ReportFormat {
    /// Renders `report` in this format.
    public func render(_ report: Report) -> [UInt8] {
        switch self {
        case .html: return ReportHTML.render(report)
        case .md: return ReportMarkdown.render(report)
        case .csv: return ReportCSV.render(report)
        case .json: return ReportJSON.render(report)
        }
    }
}
