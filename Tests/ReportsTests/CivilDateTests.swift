import EventStore
import FirstResponder
import Testing

@testable import Reports

@Suite("Reporting calendar")
struct CivilDateTests {
    @Test func daysRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(iso: "2024-02-29")?.daysSinceEpoch == 19_782)
        #expect(CivilDate(iso: "2025-02-29") == nil)
        #expect(CivilDate(iso: "1970-01-01")?.weekday == 4)
    }

    @Test func pacificTimeFollowsTheUSRules() {
        let pacific = ReportingCalendar.pacific
        // 2025: daylight time from 9 March 10:00 UTC to 2 November 09:00 UTC.
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2025-03-09T09:59:59Z")!) == -8 * 3600)
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2025-03-09T10:00:00Z")!) == -7 * 3600)
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2025-11-02T08:59:59Z")!) == -7 * 3600)
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2025-11-02T09:00:00Z")!) == -8 * 3600)
        // 2006, the old rule: first Sunday of April to last Sunday of October.
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2006-04-02T10:00:00Z")!) == -7 * 3600)
        #expect(pacific.offsetSeconds(at: Timestamp(rfc3339: "2006-10-29T09:00:00Z")!) == -8 * 3600)
        // An instant late on 31 August local is still August.
        let lateAugust = Timestamp(rfc3339: "2025-09-01T06:30:00Z")!
        #expect(pacific.date(of: lateAugust).description == "2025-08-31")
        #expect(pacific.hour(of: lateAugust) == 23)
        #expect(pacific.startOfDay(CivilDate(iso: "2025-09-01")!).rfc3339 == "2025-09-01T07:00:00Z")
        #expect(pacific.startOfDay(CivilDate(iso: "2025-01-01")!).rfc3339 == "2025-01-01T08:00:00Z")
    }

    @Test func previousPeriods() {
        let eight = ReportPeriod(range: "2025-01-01..2025-08-31")!
        #expect(eight.previous.description == "2024-01-01..2024-08-31")
        let fiscal = ReportPeriod(range: "2024-07-01..2025-06-30")!
        #expect(fiscal.previous.description == "2023-07-01..2024-06-30")
        let leap = ReportPeriod(range: "2024-02-01..2024-02-29")!
        #expect(leap.previous.description == "2023-02-01..2023-02-28")
        let days = ReportPeriod(range: "2025-03-10..2025-03-16")!
        #expect(days.previous.description == "2025-03-03..2025-03-09")
        #expect(ReportPeriod(range: "2025-03-10..2025-03-01") == nil)
    }
}
