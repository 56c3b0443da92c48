public import EventStore
public import FirstResponder

/// Training in a period (by the day each session was held): classes and people trained by course
/// and audience sector, and the Parent Empowerment Program's cohorts (by the day each started).
public struct Training: Codable, Sendable, Equatable {
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// The period.
    public var period: Period
    /// Classes held.
    public var sessions: Int
    /// People trained (attendees summed).
    public var peopleTrained: Int
    /// By course, by code.
    public var byCourse: [Group]
    /// By audience sector.
    public var bySector: [Group]
    /// By local month.
    public var byMonth: [Group]
    /// Parent cohorts started in the period.
    public var cohorts: Cohorts

    /// Sessions and attendees of one group.
    public struct Group: Codable, Sendable, Equatable {
        /// The group's key (course code, sector, month).
        public var key: String
        /// The course's title, for courses.
        public var title: String?
        /// Classes.
        public var sessions: Int
        /// People trained.
        public var attendees: Int
    }

    /// The parent program's cohorts.
    public struct Cohorts: Codable, Sendable, Equatable {
        /// Cohorts started.
        public var started: Int
        /// Of those, completed.
        public var completed: Int
        /// Parents and caregivers enrolled.
        public var participants: Int
        /// Those who completed.
        public var completers: Int
    }
}

/// Builds ``Training`` from the `training` view.
public struct TrainingQuery: Sendable {
    /// The period, on the day held (cohorts: the day started).
    public var period: Period
    /// Only this audience sector.
    public var sector: String?
    /// The calendar months are labelled in.
    public var calendar = ReportingCalendar.pacific

    /// A query.
    public init(period: Period = Period(), sector: String? = nil) {
        self.period = period
        self.sector = sector
    }

    /// The figures.
    public func run(_ reader: any ViewReader) throws -> Training {
        let sessions = try reader.rows(TrainingProjection.sessions).filter { row in
            period.contains(row.heldAt) && sector.map { $0 == row.audienceSector } ?? true
        }
        func groups(_ key: (SessionRow) -> String, title: ((SessionRow) -> String)? = nil) -> [Training.Group] {
            Dictionary(grouping: sessions, by: key).map { key, rows in
                Training.Group(
                    key: key, title: title.flatMap { t in rows.first.map(t) }, sessions: rows.count,
                    attendees: rows.reduce(0) { $0 + $1.attendees })
            }.sorted { $0.key < $1.key }
        }
        let cohorts = try reader.rows(TrainingProjection.cohorts).filter { period.contains($0.startedAt) }
        return Training(
            position: reader.position, lag: reader.lag, period: period, sessions: sessions.count,
            peopleTrained: sessions.reduce(0) { $0 + $1.attendees },
            byCourse: groups(\.courseCode, title: \.courseTitle), bySector: groups(\.audienceSector),
            byMonth: groups { calendar.date(of: Timestamp(microseconds: $0.heldAt)).monthKey },
            cohorts: Training.Cohorts(
                started: cohorts.count, completed: cohorts.filter { $0.completedAt != nil }.count,
                participants: cohorts.reduce(0) { $0 + $1.participants },
                completers: cohorts.reduce(0) { $0 + ($1.completers ?? 0) }))
    }
}
