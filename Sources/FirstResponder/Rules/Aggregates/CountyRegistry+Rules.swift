import EventStore

extension CountyRegistry {
    /// Checks an event of the `county` stream, then folds it: a code is registered while not in use
    /// (a retired code may be registered again), renamed or retired only while in use; a station's
    /// agency and area are in use; an agency or area is retired only once its stations are.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        let at = facts.occurredAt
        switch event {
        case .areaRegistered(let e):
            try Self.registering(areas[e.area], "area \(e.area.rawValue)", pointer: "/data/area", at: at)
        case .areaRenamed(let e):
            try Self.inUse(areas[e.area], "area \(e.area.rawValue)", pointer: "/data/area", at: at)
        case .areaRetired(let e):
            try Self.inUse(areas[e.area], "area \(e.area.rawValue)", pointer: "/data/area", at: at)
            try requireNoStations("area \(e.area.rawValue)", pointer: "/data/area", at: at) { $0.area == e.area }
        case .agencyRegistered(let e):
            try Self.registering(
                agencies[Self.agencyKey(e.agency, e.agencyName)], agencyText(e.agency, e.agencyName),
                pointer: agencyPointer(e.agency), at: at)
        case .agencyRenamed(let e):
            try Self.inUse(
                agencies[Self.agencyKey(e.agency, e.agencyName)], agencyText(e.agency, e.agencyName),
                pointer: agencyPointer(e.agency), at: at)
        case .agencyRetired(let e):
            let key = Self.agencyKey(e.agency, e.agencyName)
            try Self.inUse(agencies[key], agencyText(e.agency, e.agencyName), pointer: agencyPointer(e.agency), at: at)
            try requireNoStations(agencyText(e.agency, e.agencyName), pointer: agencyPointer(e.agency), at: at) {
                station in station.agency.map { Self.agencyKey($0, station.agencyName) } == key
            }
        case .stationRegistered(let e):
            try Self.registering(stations[e.station], "station \(e.station)", pointer: "/data/station", at: at)
            try Self.inUse(
                agencies[Self.agencyKey(e.agency, e.agencyName)], agencyText(e.agency, e.agencyName),
                pointer: agencyPointer(e.agency), at: at)
            try Self.inUse(areas[e.area], "area \(e.area.rawValue)", pointer: "/data/area", at: at)
        case .stationRenamed(let e):
            try Self.inUse(stations[e.station], "station \(e.station)", pointer: "/data/station", at: at)
        case .stationRetired(let e):
            try Self.inUse(stations[e.station], "station \(e.station)", pointer: "/data/station", at: at)
        case .courseRegistered(let e):
            try Self.registering(courses[e.courseCode], "course \(e.courseCode)", pointer: "/data/courseCode", at: at)
        case .courseRenamed(let e):
            try Self.inUse(courses[e.courseCode], "course \(e.courseCode)", pointer: "/data/courseCode", at: at)
        case .courseRetired(let e):
            try Self.inUse(courses[e.courseCode], "course \(e.courseCode)", pointer: "/data/courseCode", at: at)
        default:
            break
        }
        fold(event, facts)
    }

    private static func registering(_ entry: Entry?, _ what: String, pointer: String, at: Timestamp) throws {
        if let entry, entry.isActive(at: at) {
            throw RuleViolation(.alreadyExists, at: pointer, "\(what) is registered (as \(entry.name)) and in use")
        }
    }

    private static func inUse(_ entry: Entry?, _ what: String, pointer: String, at: Timestamp) throws {
        guard let entry else {
            throw RuleViolation(.unknownCode, at: pointer, "\(what) is not in the county's reference data")
        }
        guard entry.isActive(at: at) else {
            throw RuleViolation(.retiredCode, at: pointer, "\(what) was retired at \(entry.retiredAt!)")
        }
    }

    private func requireNoStations(_ what: String, pointer: String, at: Timestamp, _ under: (Entry) -> Bool) throws {
        let inUse = stations.filter { $0.value.isActive(at: at) && under($0.value) }.keys.sorted()
        guard inUse.isEmpty else {
            throw RuleViolation(
                .codeInUse, at: pointer,
                "\(what) still has stations in use: \(inUse.prefix(5).joined(separator: ", "))"
                    + (inUse.count > 5 ? " and \(inUse.count - 5) more" : ""))
        }
    }

    private func agencyText(_ agency: Agency, _ agencyName: String?) -> String {
        agency == .other ? "agency \(agencyName ?? "OTHER")" : "agency \(agency.rawValue)"
    }

    private func agencyPointer(_ agency: Agency) -> String {
        agency == .other ? "/data/agencyName" : "/data/agency"
    }

    // MARK: - Facts that name codes

    /// Where a fact names its place; `nil` for a field not checked (a correction that leaves it).
    struct PlacePointers {
        var agency: String?
        var agencyName: String?
        var station: String?
        var area: String?

        /// The fields of an event's own `data`.
        static let event = PlacePointers(
            agency: "/data/agency", agencyName: "/data/agencyName", station: "/data/station", area: "/data/area")
    }

    /// Checks a fact's place at `time`: the agency, the area and the station are registered and not
    /// retired, and the station is under that agency and in that area.
    func checkPlace(
        agency: Agency, agencyName: String?, station: String?, area: Area, at time: Timestamp,
        pointers: PlacePointers = .event
    ) throws {
        let agencyPointer = agency == .other ? pointers.agencyName ?? pointers.agency : pointers.agency
        if let pointer = agencyPointer {
            try Self.inUse(
                agencies[Self.agencyKey(agency, agencyName)], agencyText(agency, agencyName), pointer: pointer, at: time
            )
        }
        if let pointer = pointers.area { try checkArea(area, at: time, pointer: pointer) }
        guard let station else { return }
        let pointer = pointers.station ?? pointers.area ?? agencyPointer ?? "/data/station"
        let entry = try checkStation(station, at: time, pointer: pointer)
        if entry.agency != agency || (agency == .other && entry.agencyName != agencyName) {
            throw RuleViolation(
                .stationElsewhere, at: pointer,
                "station \(station) is under \(entry.agency == .other ? entry.agencyName ?? "OTHER" : entry.agency?.rawValue ?? "?"), "
                    + "not \(agency == .other ? agencyName ?? "OTHER" : agency.rawValue)")
        }
        if entry.area != area {
            throw RuleViolation(
                .stationElsewhere, at: pointer,
                "station \(station) is in \(entry.area?.rawValue ?? "?"), not \(area.rawValue)")
        }
    }

    /// Checks that `area` is registered and not retired at `time`.
    func checkArea(_ area: Area, at time: Timestamp, pointer: String) throws {
        try Self.inUse(areas[area], "area \(area.rawValue)", pointer: pointer, at: time)
    }

    /// Checks that station `code` is registered and not retired at `time`; its entry.
    @discardableResult
    func checkStation(_ code: String, at time: Timestamp, pointer: String) throws -> Entry {
        try Self.inUse(stations[code], "station \(code)", pointer: pointer, at: time)
        return stations[code]!
    }

    /// Checks that course `code` is registered and not retired at `time`.
    func checkCourse(_ code: String, at time: Timestamp, pointer: String) throws {
        try Self.inUse(courses[code], "course \(code)", pointer: pointer, at: time)
    }
}
