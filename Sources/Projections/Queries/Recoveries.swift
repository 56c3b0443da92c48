public import EventStore
public import FirstResponder

/// Recoveries in a period (by contact time) **and** unique youth — they differ: one youth recovered
/// three times is three recoveries and one youth — and repeat recoveries (any but a youth's first
/// contact, in the whole log, counting identity links), by agency, station, area, age band and month.
/// Cases deemed out of scope are not recoveries; they are counted apart, by reason.
public struct Recoveries: Codable, Sendable, Equatable {
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// The period.
    public var period: Period
    /// Recoveries.
    public var recoveries: Int
    /// Distinct youth among them (linked references count as one youth).
    public var uniqueYouth: Int
    /// Recoveries of a youth recovered before.
    public var repeats: Int
    /// Cases in the period deemed out of scope, by reason.
    public var outOfScope: Tally
    /// By law-enforcement agency.
    public var byAgency: [Slice]
    /// By station.
    public var byStation: [Slice]
    /// By Service Planning Area.
    public var byArea: [Slice]
    /// By age band at contact (``AgeBand``).
    public var byAgeBand: [Slice]
    /// By local month of contact.
    public var byMonth: [Slice]

    /// The figures of one slice.
    public struct Slice: Codable, Sendable, Equatable {
        /// The slice's key.
        public var key: String
        /// Recoveries.
        public var recoveries: Int
        /// Distinct youth.
        public var uniqueYouth: Int
        /// Repeat recoveries.
        public var repeats: Int
    }
}

/// Builds ``Recoveries`` from the `cases` view.
public struct RecoveriesQuery: Sendable {
    /// The period, on the contact time.
    public var period: Period
    /// Only this agency.
    public var agency: String?
    /// Only this station.
    public var station: String?
    /// Only this area.
    public var area: String?
    /// The calendar months are labelled in.
    public var calendar = ReportingCalendar.pacific

    /// A query.
    public init(period: Period = Period(), agency: String? = nil, station: String? = nil, area: String? = nil) {
        self.period = period
        self.agency = agency
        self.station = station
        self.area = area
    }

    private struct Counted {
        var record: CaseRecord
        var youth: String
        var isRepeat: Bool
    }

    /// The figures.
    public func run(_ reader: any ViewReader) throws -> Recoveries {
        let records = try reader.rows(CasesProjection.cases)
        let counted = CountedRecovery.all(try reader.rows(CasesProjection.contacts))
        func selected(_ r: CaseRecord) -> Bool {
            period.contains(r.contactAt) && agency.map { $0 == r.agency } ?? true
                && station.map { $0 == r.station } ?? true && area.map { $0 == r.area } ?? true
        }
        let inPeriod = records.filter(selected).compactMap { r in
            counted[r.caseId].map { Counted(record: r, youth: $0.youth, isRepeat: $0.isRepeat) }
        }
        func slices(_ key: (CaseRecord) -> String) -> [Recoveries.Slice] {
            Dictionary(grouping: inPeriod) { key($0.record) }.map { key, rows in
                Recoveries.Slice(
                    key: key, recoveries: rows.count, uniqueYouth: Set(rows.map(\.youth)).count,
                    repeats: rows.filter(\.isRepeat).count)
            }.sorted { $0.key < $1.key }
        }
        return Recoveries(
            position: reader.position, lag: reader.lag, period: period, recoveries: inPeriod.count,
            uniqueYouth: Set(inPeriod.map(\.youth)).count, repeats: inPeriod.filter(\.isRepeat).count,
            outOfScope: Tally(records.filter(selected).compactMap { $0.outOfScope?.code }),
            byAgency: slices(\.agency), byStation: slices(\.station), byArea: slices(\.area),
            byAgeBand: slices { AgeBand.of($0.ageAtContact).id },
            byMonth: slices { calendar.date(of: Timestamp(microseconds: $0.contactAt)).monthKey })
    }
}
