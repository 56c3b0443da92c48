import EventStore

// The county's reference data is registered, renamed and retired as given: the rules
// (``CountyRegistry``) refuse a code registered and not retired, a rename or retirement of a code
// never registered or retired already, a station under an agency or area that is not registered,
// and retiring an agency or area whose stations are not retired.

extension RegisterArea {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AreaRegistered(area: area, name: areaName))
    }
}

extension RenameArea {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AreaRenamed(area: area, name: areaName))
    }
}

extension RetireArea {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AreaRetired(area: area, reason: reason))
    }
}

extension RegisterAgency {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AgencyRegistered(agency: agency, agencyName: agencyName, name: agencyFullName))
    }
}

extension RenameAgency {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AgencyRenamed(agency: agency, agencyName: agencyName, name: agencyFullName))
    }
}

extension RetireAgency {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(AgencyRetired(agency: agency, agencyName: agencyName, reason: reason))
    }
}

extension RegisterStation {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(
            StationRegistered(station: station, name: stationName, agency: agency, agencyName: agencyName, area: area))
    }
}

extension RenameStation {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(StationRenamed(station: station, name: stationName))
    }
}

extension RetireStation {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(StationRetired(station: station, reason: reason))
    }
}

extension RegisterCourse {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(CourseRegistered(courseCode: courseCode, title: title, audienceSector: audienceSector))
    }
}

extension RenameCourse {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(CourseRenamed(courseCode: courseCode, title: title))
    }
}

extension RetireCourse {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(CourseRetired(courseCode: courseCode, reason: reason))
    }
}
