import EventStore
public import FirstResponder

/// Arrests in a period (by arrest time, as corrected): by role, month, operation, station and area,
/// with corrections applied and voided arrests never counted but listed by reason.
public struct Arrests: Codable, Sendable, Equatable {
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// The period.
    public var period: Period
    /// Arrests counted (not voided).
    public var total: Int
    /// By role: trafficker, exploiter, buyer, other.
    public var byRole: Tally
    /// By local month of the arrest.
    public var byMonth: Tally
    /// By operation (its name; `none` for arrests outside operations).
    public var byOperation: Tally
    /// By station.
    public var byStation: Tally
    /// By Service Planning Area.
    public var byArea: Tally
    /// Voided arrests in the period, by reason (not counted above).
    public var voided: Tally
    /// Counted arrests that were corrected at least once.
    public var corrected: Int
    /// Counted arrests recorded late.
    public var enteredLate: Int
}

/// Builds ``Arrests`` from the `arrests` view.
public struct ArrestsQuery: Sendable {
    /// The period, on the arrest time.
    public var period: Period
    /// Only this role.
    public var role: String?
    /// Only this station.
    public var station: String?
    /// Only this area.
    public var area: String?
    /// The calendar months are labelled in.
    public var calendar = ReportingCalendar.pacific

    /// A query.
    public init(period: Period = Period(), role: String? = nil, station: String? = nil, area: String? = nil) {
        self.period = period
        self.role = role
        self.station = station
        self.area = area
    }

    /// The figures.
    public func run(_ reader: any ViewReader) throws -> Arrests {
        var names: [String: String] = [:]
        for operation in try reader.rows(ArrestsProjection.operations) { names[operation.operationId] = operation.name }
        let rows = try reader.rows(ArrestsProjection.arrests).filter { a in
            period.contains(a.arrestedAt) && role.map { $0 == a.role } ?? true
                && station.map { $0 == a.station } ?? true && area.map { $0 == a.area } ?? true
        }
        let counted = rows.filter { $0.voided == nil }
        return Arrests(
            position: reader.position, lag: reader.lag, period: period, total: counted.count,
            byRole: Tally(counted.map(\.role)),
            byMonth: Tally(counted.map { calendar.date(of: Timestamp(microseconds: $0.arrestedAt)).monthKey }),
            byOperation: Tally(counted.map { a in a.operationId.flatMap { names[$0] } ?? "none" }),
            byStation: Tally(counted.map(\.station)), byArea: Tally(counted.map(\.area)),
            voided: Tally(rows.compactMap { $0.voided?.reasonCode }),
            corrected: counted.filter { $0.corrections > 0 }.count, enteredLate: counted.filter(\.enteredLate).count)
    }
}
