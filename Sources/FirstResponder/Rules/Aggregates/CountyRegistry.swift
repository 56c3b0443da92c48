public import EventStore

/// The county's reference data as the rules read it: the fold of the `county` stream — its Service
/// Planning Areas, law-enforcement agencies, stations (each under one agency, in one area) and
/// training courses, each registered, perhaps renamed, perhaps retired.
///
/// Facts that name a code are checked against it (``checkPlace(agency:agencyName:station:area:at:pointers:)``,
/// ``checkArea(_:at:pointer:)``, ``checkStation(_:at:pointer:)``, ``checkCourse(_:at:pointer:)``): the
/// code must be registered and not retired at the fact's time, and a station must be under the
/// agency and in the area the fact names — every by-station and by-area figure depends on it.
public struct CountyRegistry: Aggregate {
    /// One registered code.
    public struct Entry: Sendable, Hashable {
        /// Its name (a course's title), as last renamed.
        public var name: String
        /// For a station: its agency, the independent department's name, and its area.
        public var agency: Agency?
        /// With agency OTHER: the department's name.
        public var agencyName: String?
        /// For a station: its Service Planning Area.
        public var area: Area?
        /// For a course: the sector it is written for.
        public var audienceSector: AudienceSector?
        /// When it was retired (the event's occurredAt); `nil` while in use.
        public var retiredAt: Timestamp?

        /// Whether facts at `time` may name it.
        public func isActive(at time: Timestamp) -> Bool { retiredAt.map { time < $0 } ?? true }
    }

    /// The stream the county's reference data lives in.
    public static let stream = "county"

    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// Service Planning Areas.
    public internal(set) var areas: [Area: Entry] = [:]
    /// Agencies, by code (LASD, LAPD, LBPD) or, for an independent department, by its agencyName.
    public internal(set) var agencies: [String: Entry] = [:]
    /// Stations by code.
    public internal(set) var stations: [String: Entry] = [:]
    /// Courses by code.
    public internal(set) var courses: [String: Entry] = [:]

    init?(stream: String) {
        guard stream == Self.stream else { return nil }
    }

    /// The key an agency is registered under: its code, or an independent department's name.
    public static func agencyKey(_ agency: Agency, _ agencyName: String?) -> String {
        agency == .other ? (agencyName ?? "OTHER") : agency.rawValue
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        let at = facts.occurredAt
        switch event {
        case .areaRegistered(let e): areas[e.area] = Entry(name: e.name)
        case .areaRenamed(let e): areas[e.area]?.name = e.name
        case .areaRetired(let e): areas[e.area]?.retiredAt = at
        case .agencyRegistered(let e):
            agencies[Self.agencyKey(e.agency, e.agencyName)] = Entry(
                name: e.name, agency: e.agency, agencyName: e.agencyName)
        case .agencyRenamed(let e): agencies[Self.agencyKey(e.agency, e.agencyName)]?.name = e.name
        case .agencyRetired(let e): agencies[Self.agencyKey(e.agency, e.agencyName)]?.retiredAt = at
        case .stationRegistered(let e):
            stations[e.station] = Entry(name: e.name, agency: e.agency, agencyName: e.agencyName, area: e.area)
        case .stationRenamed(let e): stations[e.station]?.name = e.name
        case .stationRetired(let e): stations[e.station]?.retiredAt = at
        case .courseRegistered(let e): courses[e.courseCode] = Entry(name: e.title, audienceSector: e.audienceSector)
        case .courseRenamed(let e): courses[e.courseCode]?.name = e.title
        case .courseRetired(let e): courses[e.courseCode]?.retiredAt = at
        default: break
        }
    }
}
