public import EventStore
public import FirstResponder

/// Response times: every clock of the service-level table (``ServiceLevelClocks``), aggregated per
/// service level and sliced by agency, station, area, month and hour of day (county local time),
/// over the cases whose contact falls in a period (``ReportingTime``: a case's clocks are placed by
/// its contact, so a report entered late lands in the period the contact happened in).
public struct ResponseTimes: Codable, Sendable, Equatable {
    /// The moment running clocks are evaluated at.
    public var now: String
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// The period, on each case's contact (``ReportingTime``): from (inclusive), to (exclusive).
    public var from: String?
    /// The period's end (exclusive).
    public var to: String?
    /// One summary per service level, in the table's order.
    public var levels: [Level]
    /// The clocks themselves, when asked for (per case: start, stop, elapsed, status, reason, late).
    public var clocks: [Clock]?

    /// One service level's figures.
    public struct Level: Codable, Sendable, Equatable {
        /// The service level.
        public var serviceLevel: String
        /// All its clocks in the period.
        public var overall: Stats
        /// By law-enforcement agency.
        public var byAgency: [Slice]
        /// By station.
        public var byStation: [Slice]
        /// By Service Planning Area.
        public var byArea: [Slice]
        /// By local month of the case's contact (`2026-03`), the month the period places it in.
        public var byMonth: [Slice]
        /// By local hour of day the clock started (`00` … `23`): when requests come in.
        public var byHour: [Slice]
    }

    /// The figures of one slice.
    public struct Slice: Codable, Sendable, Equatable {
        /// The slice's key.
        public var key: String
        /// Its figures.
        public var stats: Stats
    }

    /// Figures over a set of clocks.
    ///
    /// `n`, the median and p90 are over the clocks that stopped (integer seconds, nearest rank);
    /// `withinPercent` is met ÷ (met + breached), so a clock still running past its deadline counts
    /// against it; clocks that do not apply are counted by reason, never dropped.
    public struct Stats: Codable, Sendable, Equatable {
        /// Clocks that stopped (measured).
        public var n: Int
        /// Median elapsed seconds (nearest rank).
        public var medianSeconds: Int?
        /// 90th percentile of elapsed seconds (nearest rank: the value at ⌈0.9·n⌉).
        public var p90Seconds: Int?
        /// Percentage met of those decided (met + breached), to one decimal.
        public var withinPercent: Double?
        /// Stopped within the threshold.
        public var met: Int
        /// Stopped after the threshold, running past the deadline, or timed out.
        public var breached: Int
        /// Running, deadline ahead.
        public var open: Int
        /// Not applicable, by reason.
        public var notApplicable: Tally
        /// Clocks whose start or stop was entered late.
        public var enteredLate: Int
        /// For on-scene clocks: median seconds from the contact to the arrival.
        public var fromContactMedianSeconds: Int?
        /// For on-scene clocks: 90th percentile from the contact.
        public var fromContactP90Seconds: Int?

        /// The figures of `clocks`.
        public init(_ clocks: [Clock]) {
            let stopped = clocks.filter { $0.stopMicros != nil && ($0.status == .met || $0.status == .breached) }
            let elapsed = stopped.map(\.elapsedSeconds).sorted()
            n = stopped.count
            medianSeconds = NearestRank.percentile(50, ofSorted: elapsed)
            p90Seconds = NearestRank.percentile(90, ofSorted: elapsed)
            met = clocks.filter { $0.status == .met }.count
            breached = clocks.filter { $0.status == .breached }.count
            open = clocks.filter { $0.status == .open }.count
            withinPercent = met + breached == 0 ? nil : (Double(met * 1000 / (met + breached)) / 10)
            notApplicable = Tally(clocks.compactMap { $0.status == .notApplicable ? ($0.reason ?? "unknown") : nil })
            enteredLate = clocks.filter(\.enteredLate).count
            let fromContact = stopped.compactMap(\.fromContactSeconds).sorted()
            fromContactMedianSeconds = NearestRank.percentile(50, ofSorted: fromContact)
            fromContactP90Seconds = NearestRank.percentile(90, ofSorted: fromContact)
        }
    }
}

/// Builds ``ResponseTimes`` from the `cases` view.
public struct ResponseTimesQuery: Sendable {
    /// The moment to evaluate running clocks at; the views' last recorded time when `nil`.
    public var now: Timestamp?
    /// Cases whose contact was at or after this.
    public var from: Timestamp?
    /// Cases whose contact was before this.
    public var to: Timestamp?
    /// Only this agency, station or area.
    public var agency: String?
    /// Only this station.
    public var station: String?
    /// Only this area.
    public var area: String?
    /// Only this service level (`ADVOCATE-ON-SCENE`, …).
    public var serviceLevel: String?
    /// Only this case.
    public var caseId: String?
    /// Whether to list the clocks themselves.
    public var includeClocks = false
    /// The calendar months and hours are labelled in: the county's (Pacific time).
    public var calendar = ReportingCalendar.pacific

    /// A query.
    public init(
        now: Timestamp? = nil, from: Timestamp? = nil, to: Timestamp? = nil, agency: String? = nil,
        station: String? = nil, area: String? = nil, serviceLevel: String? = nil, caseId: String? = nil,
        includeClocks: Bool = false
    ) {
        self.now = now
        self.from = from
        self.to = to
        self.agency = agency
        self.station = station
        self.area = area
        self.serviceLevel = serviceLevel
        self.caseId = caseId
        self.includeClocks = includeClocks
    }

    /// The figures.
    public func run(_ reader: any ViewReader) throws -> ResponseTimes {
        if let serviceLevel, ServiceLevel(rawValue: serviceLevel) == nil {
            throw ProjectionError(
                .invalidQuery,
                "--level: expected one of \(ServiceLevel.allCases.map(\.rawValue).joined(separator: ", ")), got '\(serviceLevel)'"
            )
        }
        let now = self.now ?? reader.recordedAt ?? Timestamp(microseconds: 0)
        var clocks: [Clock] = []
        let records =
            try caseId.map { try reader.row(CasesProjection.cases, $0).map { [$0] } ?? [] }
            ?? reader.rows(CasesProjection.cases)
        for record in records {
            if let agency, record.agency != agency { continue }
            if let station, record.station != station { continue }
            if let area, record.area != area { continue }
            guard Period(from: from, to: to).contains(record.contactAt) else { continue }
            for var clock in ServiceLevelClocks.clocks(of: record, now: now) {
                if let serviceLevel, clock.serviceLevel != serviceLevel { continue }
                clock.contactMicros = record.contactAt
                clocks.append(clock)
            }
        }
        var labels = LabelCache(calendar: calendar)
        let levels = ServiceLevel.allCases.filter { level in serviceLevel.map { $0 == level.rawValue } ?? true }.map {
            level -> ResponseTimes.Level in
            let mine = clocks.filter { $0.serviceLevel == level.rawValue }
            func slices(_ key: (Clock) -> String) -> [ResponseTimes.Slice] {
                Dictionary(grouping: mine, by: key).map { ResponseTimes.Slice(key: $0.key, stats: .init($0.value)) }
                    .sorted { $0.key < $1.key }
            }
            return ResponseTimes.Level(
                serviceLevel: level.rawValue, overall: .init(mine), byAgency: slices(\.agency),
                byStation: slices(\.station), byArea: slices(\.area),
                byMonth: slices { labels.month($0.contactMicros) }, byHour: slices { labels.hour($0.startMicros) })
        }
        return ResponseTimes(
            now: now.rfc3339, position: reader.position, lag: reader.lag, from: from?.rfc3339, to: to?.rfc3339,
            levels: levels,
            clocks: includeClocks ? clocks.sorted { ($0.startMicros, $0.caseId) < ($1.startMicros, $1.caseId) } : nil)
    }
}

/// Local month and hour labels, computed once per UTC hour (Pacific time moves by whole hours).
struct LabelCache {
    let calendar: ReportingCalendar
    private var cache: [Int64: (month: String, hour: String)] = [:]

    init(calendar: ReportingCalendar) { self.calendar = calendar }

    private mutating func labels(_ micros: Int64) -> (month: String, hour: String) {
        let hourIndex = micros >= 0 ? micros / 3_600_000_000 : (micros - 3_599_999_999) / 3_600_000_000
        if let cached = cache[hourIndex] { return cached }
        let instant = Timestamp(microseconds: hourIndex * 3_600_000_000)
        let hour = calendar.hour(of: instant)
        let value = (calendar.date(of: instant).monthKey, (hour < 10 ? "0" : "") + String(hour))
        cache[hourIndex] = value
        return value
    }

    mutating func month(_ micros: Int64) -> String { labels(micros).month }
    mutating func hour(_ micros: Int64) -> String { labels(micros).hour }
}
