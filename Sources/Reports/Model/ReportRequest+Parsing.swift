public import EventStore
public import FirstResponder

extension ReportRequest {
    /// A request from its words as a person gives them — `vigil report`'s options, or the daemon's
    /// `GET /v1/reports` query parameters — checked in one place. A bad value throws a
    /// ``ReportError`` (``ReportError/Code/badRequest``) whose message names the field as `name`
    /// spells it (`--from` on the command line, `from` over HTTP) and says what was expected.
    public static func parse(
        from: String?, to: String?, compareTo: String? = nil, asKnownOn: String? = nil, atPosition: String? = nil,
        timeZone: String? = nil, name: (String) -> String
    ) throws -> ReportRequest {
        func bad(_ field: String, _ message: String) -> ReportError {
            ReportError(.badRequest, "\(name(field)): \(message)")
        }
        guard let from else { throw bad("from", "the first day of the period is required (YYYY-MM-DD)") }
        guard let to else { throw bad("to", "the last day of the period is required (YYYY-MM-DD)") }
        guard let first = CivilDate(iso: from) else { throw bad("from", "expected a date YYYY-MM-DD, got \(from)") }
        guard let last = CivilDate(iso: to) else { throw bad("to", "expected a date YYYY-MM-DD, got \(to)") }
        guard let period = ReportPeriod(first: first, last: last) else {
            throw bad("to", "the period ends (\(to)) before it begins (\(from))")
        }
        var comparison: Comparison?
        if let compareTo {
            if compareTo == "previous" {
                comparison = .previous
            } else if let p = ReportPeriod(range: compareTo) {
                comparison = .period(p)
            } else {
                throw bad(
                    "compare-to", "expected 'previous' or FROM..TO (YYYY-MM-DD..YYYY-MM-DD), got \(compareTo)")
            }
        }
        var knowledge = Knowledge.latest
        switch (asKnownOn, atPosition) {
        case (let t?, nil):
            guard let instant = Timestamp(rfc3339: t) else {
                throw bad("as-known-on", "expected an RFC 3339 instant such as 2025-10-05T17:00:00-07:00, got \(t)")
            }
            knowledge = .knownOn(instant)
        case (nil, let p?):
            guard let position = UInt64(p) else { throw bad("at-position", "expected a log position, got \(p)") }
            knowledge = .position(position)
        case (nil, nil):
            break
        case (_?, _?):
            throw ReportError(
                .badRequest, "\(name("as-known-on")) and \(name("at-position")) exclude each other: give one")
        }
        let calendar: ReportingCalendar
        switch timeZone ?? "pacific" {
        case "pacific": calendar = .pacific
        case "utc": calendar = .utc
        case let zone: throw bad("time-zone", "expected pacific or utc, got \(zone)")
        }
        return ReportRequest(period: period, comparison: comparison, knowledge: knowledge, calendar: calendar)
    }
}

extension ReportFormat {
    /// The format named `text`; a ``ReportError`` naming the field as `name` spells it otherwise.
    public static func parse(_ text: String, name: String) throws -> ReportFormat {
        guard let format = ReportFormat(rawValue: text) else {
            throw ReportError(.badRequest, "\(name): expected html, md, csv or json, got \(text)")
        }
        return format
    }

    /// The media type a file of this format is served as.
    public var mediaType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .md: "text/markdown; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        }
    }
}
