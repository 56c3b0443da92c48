public import EventStore
public import FirstResponder
public import Projections

/// What a report is asked for: the period, what to compare it with, and how much of the log to read.
public struct ReportRequest: Hashable, Sendable {
    /// The comparison period.
    public enum Comparison: Hashable, Sendable {
        /// The same months of the previous year for a period of whole months of one year (or whole
        /// years), otherwise the period of the same length just before.
        case previous
        /// A given period.
        case period(ReportPeriod)
    }

    /// Which part of the log the report reads.
    public enum Knowledge: Hashable, Sendable {
        /// Everything stored when the report is made (pinned to the head position in the stamp).
        case latest
        /// Only events recorded at or before this instant: the report as it would have been made then.
        case knownOn(Timestamp)
        /// The log through this position: how a stamp reproduces a report exactly.
        case position(UInt64)
    }

    /// The reporting period.
    public var period: ReportPeriod
    /// The comparison period, if any.
    public var comparison: Comparison?
    /// How much of the log is read.
    public var knowledge: Knowledge
    /// The county's local time.
    public var calendar: ReportingCalendar

    /// A request.
    public init(
        period: ReportPeriod, comparison: Comparison? = nil, knowledge: Knowledge = .latest,
        calendar: ReportingCalendar = .pacific
    ) {
        self.period = period
        self.comparison = comparison
        self.knowledge = knowledge
        self.calendar = calendar
    }

    /// 1 January of the period's last year through its last day: the arrests' year to date.
    public var yearToDate: ReportPeriod {
        ReportPeriod(first: CivilDate(year: period.last.year, month: 1, day: 1)!, last: period.last)!
    }

    /// Every stretch of time the report counts facts in (the period, the comparison period, the
    /// year to date), as the views select them: facts placed outside all of them are not read.
    public var spans: [Period] {
        ([period, yearToDate] + (comparisonPeriod.map { [$0] } ?? [])).map { $0.instants(in: calendar) }
    }

    /// The comparison period resolved, if any.
    public var comparisonPeriod: ReportPeriod? {
        switch comparison {
        case nil: return nil
        case .previous: return period.previous
        case .period(let p): return p
        }
    }
}

/// The format a report is rendered in.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// One self-contained HTML file with SVG charts, print-ready.
    case html
    /// Markdown, with the tables and the charts' text alternatives.
    case md
    /// Every figure as one CSV row, with the stamp.
    case csv
    /// The whole report as JSON, with the stamp: what `vigil report verify` reads.
    case json
}
