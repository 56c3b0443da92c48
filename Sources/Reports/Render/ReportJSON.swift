import EventStore

/// The report as one JSON document: the request, the stamp, every section's tables (figures with
/// their machine value and what is shown), the charts, the notes, and every figure again flat by
/// key — what `vigil report verify` compares. Suppressed figures carry `null`, never their value.
public enum ReportJSON {
    /// The document's `format` field.
    public static let format = "vigil-board-report"
    /// The document's `formatVersion`.
    public static let formatVersion = 1

    /// The report as JSON (UTF-8).
    public static func render(_ report: Report) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("format", format)
        w.field("formatVersion", formatVersion)
        w.field("title", report.title)
        w.key("request")
        request(report.request, &w)
        w.key("stamp")
        stamp(report.stamp, &w)
        w.key("sections")
        w.beginArray()
        for section in report.sections { self.section(section, &w) }
        w.endArray()
        w.key("notes")
        w.beginArray()
        for note in report.notes {
            w.beginObject()
            w.field("topic", note.topic)
            w.field("text", note.text)
            w.endObject()
        }
        w.endArray()
        w.key("footnotes")
        w.beginArray()
        for f in report.footnotes { w.string(f) }
        w.endArray()
        w.key("figures")
        w.beginObject()
        for cell in report.figures {
            w.key(cell.key)
            figure(cell, &w)
        }
        w.endObject()
        w.endObject()
        return w.bytes + [10]
    }

    static func request(_ r: ReportRequest, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("from", r.period.first.description)
        w.field("to", r.period.last.description)
        w.key("compareTo")
        if let c = r.comparisonPeriod {
            w.beginObject()
            w.field("option", r.comparison == .previous ? "previous" : c.description)
            w.field("from", c.first.description)
            w.field("to", c.last.description)
            w.endObject()
        } else {
            w.null()
        }
        switch r.knowledge {
        case .latest: break
        case .knownOn(let t): w.field("asKnownOn", t.rfc3339)
        case .position(let p): w.field("atPosition", p)
        }
        w.field("timeZone", r.calendar.name)
        w.endObject()
    }

    static func stamp(_ s: ReportStamp, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("position", s.position)
        w.field("chainHash", s.chainHash)
        w.field("vigilVersion", s.vigilVersion)
        if let t = s.lastRecordedAt { w.field("lastRecordedAt", t) }
        w.field("command", s.command)
        w.endObject()
    }

    private static func section(_ s: Report.Section, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("id", s.id)
        w.field("title", s.title)
        w.key("tables")
        w.beginArray()
        for t in s.tables { table(t, &w) }
        w.endArray()
        w.key("charts")
        w.beginArray()
        for case .chart(let c) in s.blocks {
            w.beginObject()
            w.field("id", c.id)
            w.field("title", c.title)
            w.field("table", c.tableId)
            w.key("series")
            w.beginArray()
            for id in c.series { w.string(id) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    private static func table(_ t: ReportTable, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("id", t.id)
        w.field("title", t.title)
        w.field("rowHeading", t.rowHeading)
        w.key("columns")
        w.beginArray()
        for c in t.columns {
            w.beginObject()
            w.field("id", c.id)
            w.field("title", c.title)
            w.endObject()
        }
        w.endArray()
        w.key("rows")
        w.beginArray()
        for r in t.rows {
            w.beginObject()
            w.field("id", r.id)
            w.field("label", r.label)
            if r.level > 0 { w.field("level", r.level) }
            if r.isTotal {
                w.key("total")
                w.bool(true)
            }
            w.key("cells")
            w.beginArray()
            for cell in r.cells {
                if let cell { figure(cell, &w, withKey: true) } else { w.null() }
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        if let note = t.note { w.field("note", note) }
        w.endObject()
    }

    private static func figure(_ cell: Cell, _ w: inout JSONWriter, withKey: Bool = false) {
        w.beginObject()
        if withKey { w.field("key", cell.key) }
        w.key("value")
        if case .count(let n, _) = cell.value, !cell.suppressed {
            w.number(n)
        } else if let v = cell.machineValue {
            w.number(v)
        } else {
            w.null()
        }
        w.field("shown", cell.display)
        if cell.suppressed {
            w.key("suppressed")
            w.bool(true)
        }
        w.endObject()
    }
}
