import EventStore

// Commands that record one fact as given: the command's fields are the event's, so each converts
// to its event and can be made from one.

extension RecordArrest {
    /// The command that records `arrest`.
    public init(arrest a: ArrestRecorded, envelope: CommandEnvelope) {
        self.init(
            arrestId: a.arrestId, role: a.role, agency: a.agency, agencyName: a.agencyName, station: a.station,
            area: a.area, arrestedAt: a.arrestedAt, linkedCaseIds: a.linkedCaseIds, charges: a.charges,
            operationId: a.operationId, envelope: envelope)
    }

    /// The arrest as the event records it.
    public var arrest: ArrestRecorded {
        ArrestRecorded(
            arrestId: arrestId, role: role, agency: agency, agencyName: agencyName, station: station, area: area,
            arrestedAt: arrestedAt, linkedCaseIds: linkedCaseIds, charges: charges, operationId: operationId)
    }
}

extension HoldTrainingSession {
    /// The command that records `session`.
    public init(session s: TrainingSessionHeld, envelope: CommandEnvelope) {
        self.init(
            sessionId: s.sessionId, courseCode: s.courseCode, courseTitle: s.courseTitle,
            audienceSector: s.audienceSector, attendees: s.attendees, area: s.area, delivery: s.delivery,
            durationMinutes: s.durationMinutes, envelope: envelope)
    }

    /// The session as the event records it.
    public var session: TrainingSessionHeld {
        TrainingSessionHeld(
            sessionId: sessionId, courseCode: courseCode, courseTitle: courseTitle, audienceSector: audienceSector,
            attendees: attendees, area: area, delivery: delivery, durationMinutes: durationMinutes)
    }
}

extension StartParentCohort {
    /// The command that records `cohort`.
    public init(cohort c: ParentProgramCohortStarted, envelope: CommandEnvelope) {
        self.init(
            cohortId: c.cohortId, weeks: c.weeks, participants: c.participants, area: c.area, language: c.language,
            envelope: envelope)
    }

    /// The cohort as the event records it.
    public var cohort: ParentProgramCohortStarted {
        ParentProgramCohortStarted(
            cohortId: cohortId, weeks: weeks, participants: participants, area: area, language: language)
    }
}

extension CompleteParentCohort {
    /// The command that records `completion`.
    public init(completion c: ParentProgramCohortCompleted, envelope: CommandEnvelope) {
        self.init(
            cohortId: c.cohortId, weeks: c.weeks, participants: c.participants, completers: c.completers,
            envelope: envelope)
    }

    /// The completion as the event records it.
    public var completion: ParentProgramCohortCompleted {
        ParentProgramCohortCompleted(
            cohortId: cohortId, weeks: weeks, participants: participants, completers: completers)
    }
}

extension RegisterResponder {
    /// The command that records `registration`.
    public init(registration r: ResponderRegistered, envelope: CommandEnvelope) {
        self.init(
            responderId: r.responderId, role: r.role, organization: r.organization, languages: r.languages,
            areas: r.areas, stations: r.stations, servesAges: r.servesAges, displayName: r.displayName,
            envelope: envelope)
    }

    /// The registration as the event records it.
    public var registration: ResponderRegistered {
        ResponderRegistered(
            responderId: responderId, role: role, organization: organization, languages: languages, areas: areas,
            stations: stations, servesAges: servesAges, displayName: displayName)
    }
}

extension ScheduleShift {
    /// The command that records `shift`.
    public init(shift s: ShiftScheduled, envelope: CommandEnvelope) {
        self.init(
            shiftId: s.shiftId, responderId: s.responderId, startsAt: s.startsAt, endsAt: s.endsAt, onCall: s.onCall,
            areas: s.areas, envelope: envelope)
    }

    /// The shift as the event records it.
    public var shift: ShiftScheduled {
        ShiftScheduled(
            shiftId: shiftId, responderId: responderId, startsAt: startsAt, endsAt: endsAt, onCall: onCall,
            areas: areas)
    }
}

extension RecordTimeOff {
    /// The command that records `timeOff`.
    public init(timeOff t: TimeOffRecorded, envelope: CommandEnvelope) {
        self.init(
            timeOffId: t.timeOffId, responderId: t.responderId, startsAt: t.startsAt, endsAt: t.endsAt, kind: t.kind,
            envelope: envelope)
    }

    /// The time off as the event records it.
    public var timeOff: TimeOffRecorded {
        TimeOffRecorded(timeOffId: timeOffId, responderId: responderId, startsAt: startsAt, endsAt: endsAt, kind: kind)
    }
}

extension ChangePolicy {
    /// The command that records `change`.
    public init(change c: PolicyChanged, envelope: CommandEnvelope) {
        self.init(
            policyVersion: c.policyVersion, ackTimeoutSeconds: c.ackTimeoutSeconds, maxEscalations: c.maxEscalations,
            slaThresholds: c.slaThresholds, rankingWeights: c.rankingWeights, reason: c.reason, envelope: envelope)
    }

    /// The change as the event records it.
    public var change: PolicyChanged {
        PolicyChanged(
            policyVersion: policyVersion, ackTimeoutSeconds: ackTimeoutSeconds, maxEscalations: maxEscalations,
            slaThresholds: slaThresholds, rankingWeights: rankingWeights, reason: reason)
    }
}
