public import EventStore
public import FirstResponder
import Foundation
public import Projections

/// A reporting period: whole local days from `first` through `last`, inclusive, in the county's
/// ``ReportingCalendar``. A fact belongs to the period when the time that places it (its contact
/// time, its arrest time, its session's date; see the data notes) falls inside.
public struct ReportPeriod: Hashable, Sendable, CustomStringConvertible {
    /// The first day.
    public var first: CivilDate
    /// The last day (inclusive).
    public var last: CivilDate

    /// A period; `nil` when `last` is before `first`.
    public init?(first: CivilDate, last: CivilDate) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// Parses `YYYY-MM-DD..YYYY-MM-DD`.
    public init?(range text: String) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let a = CivilDate(iso: parts[0]), let b = CivilDate(iso: parts[1]) else { return nil }
        self.init(first: a, last: b)
    }

    /// Days in the period.
    public var days: Int { last.daysSinceEpoch - first.daysSinceEpoch + 1 }

    /// What "the previous period" means for this one: for whole months, the same months shifted back
    /// by whole years (one year for up to twelve months, so the Board compares "the first eight
    /// months" with the first eight months of the year before; two years for a two-year period);
    /// otherwise the period of the same length that ends the day before this one begins.
    public var previous: ReportPeriod {
        if first.day == 1, last.adding(days: 1).day == 1 {
            let months = (last.year - first.year) * 12 + last.month - first.month + 1
            let years = (months + 11) / 12
            return ReportPeriod(
                first: first.adding(years: -years), last: last.adding(days: 1).adding(years: -years).adding(days: -1))!
        }
        return ReportPeriod(first: first.adding(days: -days), last: first.adding(days: -1))!
    }

    /// The months the period touches, in order, as their first days.
    public var months: [CivilDate] {
        var out: [CivilDate] = []
        var m = first.firstOfMonth
        while m <= last {
            out.append(m)
            m = m.firstOfNextMonth
        }
        return out
    }

    /// The instants the period covers in `calendar`, as the views select them: from the start of
    /// the first day (inclusive) to the start of the day after the last (exclusive).
    public func instants(in calendar: ReportingCalendar) -> Period {
        Period(from: calendar.startOfDay(first), to: calendar.startOfDay(last.adding(days: 1)))
    }

    /// Whether `date` is inside.
    public func contains(_ date: CivilDate) -> Bool { date >= first && date <= last }

    /// `YYYY-MM-DD..YYYY-MM-DD`.
    public var description: String { "\(first)..\(last)" }
}
