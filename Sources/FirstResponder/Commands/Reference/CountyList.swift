import EventStore

/// A county's reference data as one list (`schemas/county.schema.json`): its Service Planning Areas,
/// law-enforcement agencies, stations and training courses. `vigil setup county FILE` loads one, and
/// the simulator loads the shipped Los Angeles County list (`counties/los-angeles.json`) first.
///
/// Each entry has the fields of its kind's register command, so loading a list is a plan of
/// commands against the log's registry (``plan(against:envelope:)``): register what is missing or
/// retired, rename what changed, leave the rest. A list that would move a registered station to
/// another agency or area cannot be loaded: retire the code and register a new one.
public struct CountyList: Sendable {
    /// The county's name.
    public var county: String
    /// Its Service Planning Areas.
    public var areas: [AreaRegistered]
    /// Its agencies.
    public var agencies: [AgencyRegistered]
    /// Its stations.
    public var stations: [StationRegistered]
    /// Its training courses.
    public var courses: [CourseRegistered]

    /// Reads a list from its JSON text, strictly; errors name the entry's pointer
    /// (`/stations/12/area`).
    public init(json bytes: [UInt8]) throws(DomainValidationError) {
        let object = try SchemaDecoding.object(try JSONValue(parsing: bytes))
        var county: String?
        var areas: [AreaRegistered] = []
        var agencies: [AgencyRegistered] = []
        var stations: [StationRegistered] = []
        var courses: [CourseRegistered] = []
        for (key, value) in object {
            do throws(DomainValidationError) {
                switch key {
                case "$schema":
                    guard value == .string("urn:vigil:schema:county") else {
                        throw DomainValidationError(.enumValue, "expected \"urn:vigil:schema:county\"")
                    }
                case "county": county = try SchemaDecoding.string(value, minLength: 2, maxLength: 120)
                case "description": _ = try SchemaDecoding.string(value, maxLength: 2000)
                case "areas": areas = try Self.entries(value, minItems: 1, AreaRegistered.init(json:))
                case "agencies": agencies = try Self.entries(value, minItems: 1, AgencyRegistered.init(json:))
                case "stations": stations = try Self.entries(value, minItems: 0, StationRegistered.init(json:))
                case "courses": courses = try Self.entries(value, minItems: 0, CourseRegistered.init(json:))
                default: throw SchemaDecoding.unknownField(key)
                }
            } catch {
                throw error.under(key)
            }
        }
        self.county = try SchemaDecoding.required(county, "county")
        guard object["areas"] != nil else { throw DomainValidationError(.required, at: "/areas", "areas is required") }
        guard object["agencies"] != nil else {
            throw DomainValidationError(.required, at: "/agencies", "agencies is required")
        }
        guard object["stations"] != nil else {
            throw DomainValidationError(.required, at: "/stations", "stations is required")
        }
        self.areas = areas
        self.agencies = agencies
        self.stations = stations
        self.courses = courses
    }

    private static func entries<T>(
        _ value: JSONValue, minItems: Int, _ decode: (JSONValue) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> [T] {
        try SchemaDecoding.array(value, minItems: minItems) { (item) throws(DomainValidationError) in
            try decode(item)
        }
    }

    /// A shipped list, by file name (``shippedTexts``).
    public static func shipped(_ name: String) throws(DomainValidationError) -> CountyList {
        guard let text = shippedTexts[name] else {
            throw DomainValidationError(.unknownType, "no county list \(name) is shipped")
        }
        return try CountyList(json: Array(text.utf8))
    }
}

extension CountyList {
    /// Why a list cannot be loaded as it is.
    public struct Conflict: Error, Sendable, CustomStringConvertible {
        /// Each entry that conflicts with the registry, by its pointer in the list.
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    /// The commands that register the whole list into a log that has none of it.
    public func commands(envelope: CommandEnvelope) -> [any Command] {
        (try? plan(against: CountyRegistry(stream: CountyRegistry.stream)!, envelope: envelope)) ?? []
    }

    /// The commands that bring `registry` to this list, in order (areas, agencies, stations,
    /// courses), each at `envelope`: a register for each code missing or retired, a rename for each
    /// whose name changed. Empty when the log has the list already.
    public func plan(against registry: CountyRegistry, envelope: CommandEnvelope) throws(Conflict) -> [any Command] {
        let at = envelope.occurredAt
        var commands: [any Command] = []
        var problems: [String] = []
        for e in areas {
            if let entry = registry.areas[e.area], entry.isActive(at: at) {
                if entry.name != e.name {
                    commands.append(RenameArea(area: e.area, areaName: e.name, envelope: envelope))
                }
            } else {
                commands.append(RegisterArea(area: e.area, areaName: e.name, envelope: envelope))
            }
        }
        for e in agencies {
            if let entry = registry.agencies[CountyRegistry.agencyKey(e.agency, e.agencyName)], entry.isActive(at: at) {
                if entry.name != e.name {
                    commands.append(
                        RenameAgency(
                            agency: e.agency, agencyName: e.agencyName, agencyFullName: e.name, envelope: envelope))
                }
            } else {
                commands.append(
                    RegisterAgency(
                        agency: e.agency, agencyName: e.agencyName, agencyFullName: e.name, envelope: envelope))
            }
        }
        for (i, e) in stations.enumerated() {
            if let entry = registry.stations[e.station], entry.isActive(at: at) {
                if entry.agency != e.agency || entry.agencyName != e.agencyName || entry.area != e.area {
                    problems.append(
                        "/stations/\(i): station \(e.station) is registered under "
                            + "\(entry.agencyName ?? entry.agency?.rawValue ?? "?") in \(entry.area?.rawValue ?? "?"); "
                            + "a station does not move: retire the code and register a new one")
                } else if entry.name != e.name {
                    commands.append(RenameStation(station: e.station, stationName: e.name, envelope: envelope))
                }
            } else {
                commands.append(
                    RegisterStation(
                        station: e.station, stationName: e.name, agency: e.agency, agencyName: e.agencyName,
                        area: e.area, envelope: envelope))
            }
        }
        for (i, e) in courses.enumerated() {
            if let entry = registry.courses[e.courseCode], entry.isActive(at: at) {
                if entry.audienceSector != e.audienceSector {
                    problems.append(
                        "/courses/\(i): course \(e.courseCode) is registered for "
                            + "\(entry.audienceSector?.rawValue ?? "every sector"); retire it and register a new code")
                } else if entry.name != e.title {
                    commands.append(RenameCourse(courseCode: e.courseCode, title: e.title, envelope: envelope))
                }
            } else {
                commands.append(
                    RegisterCourse(
                        courseCode: e.courseCode, title: e.title, audienceSector: e.audienceSector, envelope: envelope))
            }
        }
        guard problems.isEmpty else { throw Conflict(problems: problems) }
        return commands
    }
}
