public import EventStore

/// The county's local time, which places instants on reporting days, months and hours.
///
/// Los Angeles County reports in Pacific time. The rule is kept in code rather than read from the
/// machine's time-zone database, so a report recomputes to the same figures on any machine: UTC−8,
/// and UTC−7 from 02:00 local on the second Sunday of March to 02:00 local on the first Sunday of
/// November (the US rule since 2007; from 1987 to 2006, the first Sunday of April to the last Sunday
/// of October).
public struct ReportingCalendar: Sendable, Hashable {
    /// The zone's name, as the data notes print it.
    public let name: String
    private let standardOffsetSeconds: Int64
    private let observesUSDaylightTime: Bool

    /// Pacific time, the county's.
    public static let pacific = ReportingCalendar(
        name: "America/Los_Angeles (Pacific time, US daylight-saving rules)", standardOffsetSeconds: -8 * 3600,
        observesUSDaylightTime: true)
    /// Coordinated Universal Time.
    public static let utc = ReportingCalendar(name: "UTC", standardOffsetSeconds: 0, observesUSDaylightTime: false)

    /// The offset from UTC at `instant`, in seconds.
    public func offsetSeconds(at instant: Timestamp) -> Int64 {
        guard observesUSDaylightTime else { return standardOffsetSeconds }
        let utcSeconds = floorDiv(instant.microseconds, 1_000_000)
        let year = CivilDate(daysSinceEpoch: Int(floorDiv(utcSeconds + standardOffsetSeconds, 86_400))).year
        guard let (start, end) = daylightTime(year) else { return standardOffsetSeconds }
        return utcSeconds >= start && utcSeconds < end ? standardOffsetSeconds + 3600 : standardOffsetSeconds
    }

    /// The local date of `instant`.
    public func date(of instant: Timestamp) -> CivilDate {
        CivilDate(daysSinceEpoch: Int(floorDiv(localSeconds(instant), 86_400)))
    }

    /// The local hour of day of `instant`, 0...23.
    public func hour(of instant: Timestamp) -> Int {
        Int(floorMod(localSeconds(instant), 86_400) / 3600)
    }

    /// The instant local midnight begins `date`.
    public func startOfDay(_ date: CivilDate) -> Timestamp {
        let local = Int64(date.daysSinceEpoch) * 86_400
        // Midnight is never inside a transition (they happen at 02:00), so the offset two hours
        // into the day is the offset at midnight.
        let guess = Timestamp(seconds: local - standardOffsetSeconds)
        return Timestamp(seconds: local - offsetSeconds(at: guess))
    }

    private func localSeconds(_ instant: Timestamp) -> Int64 {
        floorDiv(instant.microseconds, 1_000_000) + offsetSeconds(at: instant)
    }

    /// Daylight time of `year` as UTC seconds [start, end), or nil before 1987.
    private func daylightTime(_ year: Int) -> (Int64, Int64)? {
        let start: CivilDate
        let end: CivilDate
        if year >= 2007 {
            start = nthSunday(2, month: 3, year: year)
            end = nthSunday(1, month: 11, year: year)
        } else if year >= 1987 {
            start = nthSunday(1, month: 4, year: year)
            let last = CivilDate(year: year, month: 10, day: 31)!
            end = last.adding(days: -last.weekday)
        } else {
            return nil
        }
        let startUTC = Int64(start.daysSinceEpoch) * 86_400 + 2 * 3600 - standardOffsetSeconds
        let endUTC = Int64(end.daysSinceEpoch) * 86_400 + 2 * 3600 - (standardOffsetSeconds + 3600)
        return (startUTC, endUTC)
    }

    private func nthSunday(_ n: Int, month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)!
        return first.adding(days: (7 - first.weekday) % 7 + 7 * (n - 1))
    }
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
private func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
