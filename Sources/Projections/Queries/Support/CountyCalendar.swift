public import EventStore
public import Foundation

/// The county's calendar, for slicing figures by month and hour of day: Los Angeles local time
/// (`America/Los_Angeles`, with daylight saving), as the county's reports are read. Figures are
/// stored in UTC; only their labels are local.
public struct CountyCalendar: Sendable {
    /// The county's time zone.
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// Los Angeles County.
    public static let losAngeles = CountyCalendar(timeZone: TimeZone(identifier: "America/Los_Angeles") ?? .gmt)

    /// A calendar in `timeZone`.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local year, month, day and hour of `instant`.
    public func components(_ instant: Timestamp) -> (year: Int, month: Int, day: Int, hour: Int) {
        let date = Date(timeIntervalSince1970: Double(instant.microseconds) / 1_000_000)
        let c = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        return (c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0)
    }

    /// The local month of `instant`: `2026-03`.
    public func month(_ instant: Timestamp) -> String {
        let c = components(instant)
        return String(format: "%04d-%02d", c.year, c.month)
    }

    /// The local hour of day of `instant`, 0–23.
    public func hour(_ instant: Timestamp) -> Int { components(instant).hour }

    /// The UTC instant a local date (`2026-03-14`, midnight) or an RFC 3339 timestamp names, for
    /// period filters; `nil` if it is neither.
    public func instant(_ text: String) -> Timestamp? {
        if let t = Timestamp(rfc3339: text) { return t }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        let c = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == parts[2] else { return nil }
        return Timestamp(microseconds: Int64(date.timeIntervalSince1970 * 1_000_000))
    }
}
