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
            var figures = Figures()
            for clock in clocks { figures.add(clock) }
            self = figures.stats
        }

        /// The figures of clocks counted one at a time (``Figures``).
        init(_ figures: Figures) {
            n = figures.elapsed.values.reduce(0, +)
            medianSeconds = NearestRank.percentile(50, ofCounts: figures.elapsed)
            p90Seconds = NearestRank.percentile(90, ofCounts: figures.elapsed)
            met = figures.met
            breached = figures.breached
            open = figures.open
            withinPercent = met + breached == 0 ? nil : (Double(met * 1000 / (met + breached)) / 10)
            notApplicable = Tally(counts: figures.notApplicable)
            enteredLate = figures.enteredLate
            fromContactMedianSeconds = NearestRank.percentile(50, ofCounts: figures.fromContact)
            fromContactP90Seconds = NearestRank.percentile(90, ofCounts: figures.fromContact)
        }
    }

    /// A set of clocks' figures, taken one clock at a time: counts, and how many times each elapsed
    /// second occurs (not the clocks), so the nearest-rank percentiles are exact and the memory
    /// grows with the distinct values, not with the cases.
    struct Figures {
        /// Clocks that stopped, met or breached: elapsed seconds → how many.
        var elapsed: [Int: Int] = [:]
        /// Of those, seconds from the contact (on-scene clocks) → how many.
        var fromContact: [Int: Int] = [:]
        var met = 0
        var breached = 0
        var open = 0
        var enteredLate = 0
        /// Clocks that do not apply, by reason.
        var notApplicable: [String: Int] = [:]

        mutating func add(_ clock: Clock) {
            switch clock.status {
            case .met: met += 1
            case .breached: breached += 1
            case .open: open += 1
            case .notApplicable: notApplicable[clock.reason ?? "unknown", default: 0] += 1
            }
            if clock.enteredLate { enteredLate += 1 }
            guard clock.stopMicros != nil, clock.status == .met || clock.status == .breached else { return }
            elapsed[clock.elapsedSeconds, default: 0] += 1
            if let seconds = clock.fromContactSeconds { fromContact[seconds, default: 0] += 1 }
        }

        var stats: Stats { Stats(self) }
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
        let levels = ServiceLevel.allCases.filter { level in serviceLevel.map { $0 == level.rawValue } ?? true }
        // Each clock is counted into its level's figures as its case is read: neither the cases nor
        // their clocks are kept (unless the clocks are asked for), so memory does not grow with them.
        var figures = Dictionary(uniqueKeysWithValues: levels.map { ($0.rawValue, LevelFigures()) })
        var labels = LabelCache(calendar: calendar)
        var clocks: [Clock] = []
        let period = Period(from: from, to: to)
        func take(_ record: CaseRecord) {
            if let agency, record.agency != agency { return }
            if let station, record.station != station { return }
            if let area, record.area != area { return }
            guard period.contains(record.contactAt) else { return }
            for var clock in ServiceLevelClocks.clocks(of: record, now: now) {
                if let serviceLevel, clock.serviceLevel != serviceLevel { continue }
                clock.contactMicros = record.contactAt
                if figures[clock.serviceLevel] != nil {
                    figures[clock.serviceLevel]!.add(
                        clock, month: labels.month(clock.contactMicros), hour: labels.hour(clock.startMicros))
                }
                if includeClocks { clocks.append(clock) }
            }
        }
        if let caseId {
            if let record = try reader.row(CasesProjection.cases, caseId) { take(record) }
        } else {
            try reader.scan(CasesProjection.cases, from: "") { _, record in
                take(record)
                return true
            }
        }
        return ResponseTimes(
            now: now.rfc3339, position: reader.position, lag: reader.lag, from: from?.rfc3339, to: to?.rfc3339,
            levels: levels.map { figures[$0.rawValue]!.level($0.rawValue) },
            clocks: includeClocks ? clocks.sorted { ($0.startMicros, $0.caseId) < ($1.startMicros, $1.caseId) } : nil)
    }
}

/// One service level's figures as its clocks are counted: over all of them, and per slice.
private struct LevelFigures {
    var overall = ResponseTimes.Figures()
    var byAgency: [String: ResponseTimes.Figures] = [:]
    var byStation: [String: ResponseTimes.Figures] = [:]
    var byArea: [String: ResponseTimes.Figures] = [:]
    var byMonth: [String: ResponseTimes.Figures] = [:]
    var byHour: [String: ResponseTimes.Figures] = [:]

    mutating func add(_ clock: Clock, month: String, hour: String) {
        overall.add(clock)
        byAgency[clock.agency, default: .init()].add(clock)
        byStation[clock.station, default: .init()].add(clock)
        byArea[clock.area, default: .init()].add(clock)
        byMonth[month, default: .init()].add(clock)
        byHour[hour, default: .init()].add(clock)
    }

    func level(_ serviceLevel: String) -> ResponseTimes.Level {
        func slices(_ figures: [String: ResponseTimes.Figures]) -> [ResponseTimes.Slice] {
            figures.map { ResponseTimes.Slice(key: $0.key, stats: $0.value.stats) }.sorted { $0.key < $1.key }
        }
        return ResponseTimes.Level(
            serviceLevel: serviceLevel, overall: overall.stats, byAgency: slices(byAgency),
            byStation: slices(byStation), byArea: slices(byArea), byMonth: slices(byMonth), byHour: slices(byHour))
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
