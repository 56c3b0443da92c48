public import EventStore

/// One Parent Empowerment Program cohort as the rules read it: the fold of `cohort-<cohortId>`.
public struct CohortRecord: Aggregate {
    /// The cohort.
    public let cohortId: CohortID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The start, as recorded.
    public internal(set) var started: ParentProgramCohortStarted?
    /// When it began.
    public internal(set) var startedAt: Timestamp?
    /// The completion, once recorded.
    public internal(set) var completed: ParentProgramCohortCompleted?

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
        case .parentProgramCohortCompleted(let e):
            completed = e
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
            guard let startedAt else {
                throw RuleViolation(.unknownRecord, at: "/data/cohortId", "cohort \(cohortId) never started")
            }
            guard completed == nil else {
                throw RuleViolation(.recordClosed, at: "/data/cohortId", "cohort \(cohortId) was completed already")
            }
            try TimeRules.notBefore(facts.occurredAt, startedAt, .beforeItsFact, "the start of cohort \(cohortId)")
        default:
            break
        }
        fold(event, facts)
    }
}
