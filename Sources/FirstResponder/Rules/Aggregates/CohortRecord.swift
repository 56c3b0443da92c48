public import EventStore

/// One Parent Empowerment Program cohort as the rules read it: the fold of `cohort-<cohortId>` —
/// its start and completion with every correction applied, and whether it was voided.
public struct CohortRecord: Aggregate {
    /// The cohort.
    public let cohortId: CohortID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The start, as corrected.
    public internal(set) var started: ParentProgramCohortStarted?
    /// When it began: the start's occurredAt, or `startedAt` as last corrected.
    public internal(set) var startedAt: Timestamp?
    /// When the start was recorded.
    public internal(set) var recordedAt: Timestamp?
    /// The completion, once recorded, as corrected.
    public internal(set) var completed: ParentProgramCohortCompleted?
    /// When it finished: the completion's occurredAt, or `completedAt` as last corrected.
    public internal(set) var completedAt: Timestamp?
    /// Whether it was voided (`ParentProgramCohortVoided`): it no longer counts.
    public internal(set) var voided = false

    /// The stream of `cohortId`.
    public static func stream(_ cohortId: CohortID) -> String { "cohort-\(cohortId.rawValue)" }

    init?(stream: String) {
        guard stream.hasPrefix("cohort-"), let id = CohortID(rawValue: String(stream.dropFirst(7))) else { return nil }
        cohortId = id
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .parentProgramCohortStarted(let e):
            started = e
            startedAt = facts.occurredAt
            recordedAt = facts.occurredAt
        case .parentProgramCohortCompleted(let e):
            completed = e
            completedAt = facts.occurredAt
        case .parentProgramCohortCorrected(let e):
            started = started?.applying(e.corrections)
            completed = completed?.applying(e.corrections)
            startedAt = e.corrections.startedAt ?? startedAt
            completedAt = e.corrections.completedAt ?? completedAt
        case .parentProgramCohortVoided:
            voided = true
        default:
            break
        }
    }

    /// Checks an event of this cohort's stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .parentProgramCohortStarted(let e):
            guard started == nil else {
                throw RuleViolation(.alreadyExists, at: "/data/cohortId", "cohort \(cohortId) exists already")
            }
            if let area = e.area { try log.county().checkArea(area, at: facts.occurredAt, pointer: "/data/area") }
        case .parentProgramCohortCompleted:
            let startedAt = try countable(facts)
            guard completed == nil else {
                throw RuleViolation(.recordClosed, at: "/data/cohortId", "cohort \(cohortId) was completed already")
            }
            try TimeRules.notBefore(facts.occurredAt, startedAt, .beforeItsFact, "the start of cohort \(cohortId)")
        case .parentProgramCohortCorrected(let e):
            _ = try countable(facts)
            try checkCorrection(e.corrections, facts, log)
        case .parentProgramCohortVoided:
            _ = try countable(facts)
        default:
            break
        }
        fold(event, facts)
    }

    /// The cohort's start, started and not voided.
    private func countable(_ facts: EventFacts) throws -> Timestamp {
        guard let startedAt, let recordedAt else {
            throw RuleViolation(.unknownRecord, at: "/data/cohortId", "cohort \(cohortId) never started")
        }
        guard !voided else {
            throw RuleViolation(.recordClosed, at: "/data/cohortId", "cohort \(cohortId) was voided")
        }
        try TimeRules.notBefore(facts.occurredAt, recordedAt, .beforeItsFact, "the start of cohort \(cohortId)")
        return startedAt
    }

    /// A correction: completion fields need a completion; times in order and not after the
    /// correction; completers no more than the participants at the end, as corrected.
    private func checkCorrection(
        _ c: ParentProgramCohortCorrected.Corrections, _ facts: EventFacts, _ log: LogState
    ) throws {
        let completionFields: [(String, Bool)] = [
            ("completedAt", c.completedAt != nil), ("weeksHeld", c.weeksHeld != nil),
            ("participantsAtEnd", c.participantsAtEnd != nil), ("completers", c.completers != nil),
        ]
        if completed == nil, let field = completionFields.first(where: \.1)?.0 {
            throw RuleViolation(
                .unknownRecord, at: "/data/corrections/\(field)", "cohort \(cohortId) has not been completed")
        }
        for (field, time) in [("startedAt", c.startedAt), ("completedAt", c.completedAt)] {
            if let time {
                try TimeRules.atOrBefore(
                    time, facts.occurredAt, .afterItsReport, field, pointer: "/data/corrections/\(field)")
            }
        }
        let start = c.startedAt ?? startedAt!
        if let end = c.completedAt ?? completedAt, c.startedAt != nil || c.completedAt != nil {
            try TimeRules.notBefore(
                end, start, .endsBeforeStart, "the start of cohort \(cohortId)",
                pointer: c.completedAt == nil ? "/data/corrections/startedAt" : "/data/corrections/completedAt")
        }
        if let completion = completed?.applying(c), completion.completers > completion.participants {
            throw RuleViolation(
                .moreCompletersThanParticipants,
                at: c.completers == nil ? "/data/corrections/participantsAtEnd" : "/data/corrections/completers",
                "cohort \(cohortId) would have \(completion.completers) completers of \(completion.participants) participants"
            )
        }
        if let area = c.area { try log.county().checkArea(area, at: start, pointer: "/data/corrections/area") }
    }
}

extension ParentProgramCohortStarted {
    /// The start with the start's fields of `corrections` applied (weeks, participants, area, language).
    public func applying(_ corrections: ParentProgramCohortCorrected.Corrections) -> ParentProgramCohortStarted {
        var s = self
        if let v = corrections.weeks { s.weeks = v }
        if let v = corrections.participants { s.participants = v }
        if let v = corrections.area { s.area = v }
        if let v = corrections.language { s.language = v }
        return s
    }
}

extension ParentProgramCohortCompleted {
    /// The completion with the completion's fields of `corrections` applied (weeksHeld,
    /// participantsAtEnd, completers).
    public func applying(_ corrections: ParentProgramCohortCorrected.Corrections) -> ParentProgramCohortCompleted {
        var s = self
        if let v = corrections.weeksHeld { s.weeks = v }
        if let v = corrections.participantsAtEnd { s.participants = v }
        if let v = corrections.completers { s.completers = v }
        return s
    }
}
