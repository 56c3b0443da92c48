import EventStore
import FirstResponder

/// Assembles the Board report from the log's facts: each section's tables and charts, the additive
/// lines between figures, small-cell suppression over all of them at once, and the data notes.
public struct ReportBuilder {
    /// The id of the key-figures table (the HTML shows it as the headline).
    public static let summaryTableId = "summary"

    let request: ReportRequest
    let facts: ReportFacts
    let calendar: ReportingCalendar
    /// What the report knows up to: open clocks whose deadline passed by then are breached.
    let knownAt: Timestamp
    var lines: [SmallCellRule.Line] = []

    /// Builds the report for `request` from `facts`, stamped with `stamp`.
    public static func build(_ request: ReportRequest, facts: ReportFacts, stamp: ReportStamp) -> Report {
        var builder = ReportBuilder(
            request: request, facts: facts, calendar: request.calendar,
            knownAt: knownAt(request, facts))
        var sections = [
            builder.recoveriesSection(), builder.responseSection(), builder.milestonesSection(),
            builder.arrestsSection(), builder.trainingSection(), builder.trendSection(),
        ]
        let outcome = SmallCellRule.apply(to: &sections, lines: builder.lines)
        let footnotes = outcome.isEmpty ? [] : [SmallCellRule.footnote]
        return Report(
            title: "CSEC First Responder Protocol: report to the Board of Supervisors", request: request,
            sections: sections, notes: builder.notes(outcome), footnotes: footnotes, stamp: stamp)
    }

    /// The instant the report's knowledge ends: when the last event read was recorded. Taken from
    /// the log, not from the request, so the stamp's position alone reproduces every figure.
    static func knownAt(_ request: ReportRequest, _ facts: ReportFacts) -> Timestamp {
        facts.lastRecordedAt ?? Timestamp(microseconds: 0)
    }

    /// The facts of `all` whose placing time (`time`) falls in `period`, selected as the views
    /// select a ``Period``.
    func placed<F>(_ all: [F], in period: ReportPeriod, by time: (F) -> Timestamp) -> [F] {
        let span = period.instants(in: calendar)
        return all.filter { span.contains(time($0).microseconds) }
    }

    /// Recoveries (in scope) whose contact falls in `period`.
    func recoveries(_ period: ReportPeriod) -> [ReportFacts.Recovery] {
        placed(facts.recoveries, in: period, by: \.contactAt).filter { $0.outOfScope == nil }
    }

    /// Every reported case whose contact falls in `period`, in scope or not.
    func cases(_ period: ReportPeriod) -> [ReportFacts.Recovery] {
        placed(facts.recoveries, in: period, by: \.contactAt)
    }

    /// Countable arrests made in `period` (by the time of arrest, as corrected).
    func arrests(_ period: ReportPeriod) -> [ReportFacts.Arrest] {
        placed(facts.arrests, in: period, by: \.arrestedAt)
    }

    /// Training classes held in `period`.
    func sessions(_ period: ReportPeriod) -> [ReportFacts.Session] {
        placed(facts.sessions, in: period, by: \.heldAt)
    }

    /// Month categories of the period, keyed `YYYY-MM`.
    func monthCategories<F>(_ time: @escaping (F) -> Timestamp) -> [Breakdown<F>.Category] {
        request.period.months.map { m in
            let key = m.monthKey
            return .init(id: key, label: ReportText.month(m)) { calendar.date(of: time($0)).monthKey == key }
        }
    }

    /// One category per distinct value of `key` among `facts`, sorted by label.
    func valueCategories<F>(_ facts: [F], _ key: @escaping (F) -> String, label: (String) -> String = { $0 })
        -> [Breakdown<F>.Category]
    {
        Set(facts.map(key)).sorted().map { v in .init(id: slug(v), label: label(v)) { key($0) == v } }
    }
}

/// An id made of lowercase letters, digits and hyphens.
func slug(_ s: String) -> String {
    var out = ""
    for c in s.lowercased() {
        if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if !out.hasSuffix("-") { out.append("-") }
    }
    return out.isEmpty ? "none" : out
}
