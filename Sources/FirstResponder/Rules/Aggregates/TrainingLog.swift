public import EventStore

/// The training classes held, as the rules read them: the fold of the `training` stream — each
/// session with every correction applied, and whether it was voided.
public struct TrainingLog: Aggregate {
    /// One session held.
    public struct Session: Sendable {
        /// As it stands: `TrainingSessionHeld` with every `TrainingSessionCorrected` applied.
        public var held: TrainingSessionHeld
        /// When it was held: the event's occurredAt, or `heldAt` as last corrected.
        public var heldAt: Timestamp
        /// When it was recorded (the `TrainingSessionHeld` event's occurredAt).
        public var recordedAt: Timestamp
        /// Whether it was voided (`TrainingSessionVoided`): it no longer counts.
        public var voided = false
    }

    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// Sessions by id.
    public internal(set) var sessions: [SessionID: Session] = [:]

    /// The stream training sessions live in.
    public static let stream = "training"

    init?(stream: String) {
        guard stream == Self.stream else { return nil }
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .trainingSessionHeld(let e):
            sessions[e.sessionId] = Session(held: e, heldAt: facts.occurredAt, recordedAt: facts.occurredAt)
        case .trainingSessionCorrected(let e):
            guard var session = sessions[e.sessionId] else { return }
            session.held = session.held.applying(e.corrections)
            session.heldAt = e.corrections.heldAt ?? session.heldAt
            sessions[e.sessionId] = session
        case .trainingSessionVoided(let e):
            sessions[e.sessionId]?.voided = true
        default:
            break
        }
    }

    /// Checks an event of the training stream, then folds it: a session id is recorded once; a
    /// correction or void names a session recorded and not voided, and follows it; the course and
    /// area a session names (as recorded or corrected) are the county's.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .trainingSessionHeld(let e):
            guard sessions[e.sessionId] == nil else {
                throw RuleViolation(
                    .alreadyExists, at: "/data/sessionId", "training session \(e.sessionId) is recorded already")
            }
            let county = try log.county()
            try county.checkCourse(e.courseCode, at: facts.occurredAt, pointer: "/data/courseCode")
            if let area = e.area { try county.checkArea(area, at: facts.occurredAt, pointer: "/data/area") }
        case .trainingSessionCorrected(let e):
            let session = try countable(e.sessionId, facts)
            let c = e.corrections
            let heldAt = c.heldAt ?? session.heldAt
            if let time = c.heldAt {
                try TimeRules.atOrBefore(
                    time, facts.occurredAt, .afterItsReport, "heldAt", pointer: "/data/corrections/heldAt")
            }
            let county = try log.county()
            if c.courseCode != nil || c.heldAt != nil {
                try county.checkCourse(
                    session.held.applying(c).courseCode, at: heldAt,
                    pointer: c.courseCode == nil ? "/data/corrections/heldAt" : "/data/corrections/courseCode")
            }
            if let area = c.area { try county.checkArea(area, at: heldAt, pointer: "/data/corrections/area") }
        case .trainingSessionVoided(let e):
            _ = try countable(e.sessionId, facts)
        default:
            break
        }
        fold(event, facts)
    }

    /// Session `id`, recorded and not voided, and `facts` not before it was recorded.
    private func countable(_ id: SessionID, _ facts: EventFacts) throws -> Session {
        guard let session = sessions[id] else {
            throw RuleViolation(.unknownRecord, at: "/data/sessionId", "training session \(id) was never recorded")
        }
        guard !session.voided else {
            throw RuleViolation(.recordClosed, at: "/data/sessionId", "training session \(id) was voided")
        }
        try TimeRules.notBefore(
            facts.occurredAt, session.recordedAt, .beforeItsFact, "training session \(id) was recorded")
        return session
    }
}

extension TrainingSessionHeld {
    /// The session with `corrections` applied, each corrected field replaced whole (`heldAt`, which
    /// is not a field of the session, is the caller's). Views and reports that count sessions fold
    /// corrections with this, as the rules do.
    public func applying(_ corrections: TrainingSessionCorrected.Corrections) -> TrainingSessionHeld {
        var s = self
        if let v = corrections.courseCode { s.courseCode = v }
        if let v = corrections.courseTitle { s.courseTitle = v }
        if let v = corrections.audienceSector { s.audienceSector = v }
        if let v = corrections.attendees { s.attendees = v }
        if let v = corrections.area { s.area = v }
        if let v = corrections.delivery { s.delivery = TrainingSessionHeld.Delivery(rawValue: v.rawValue) }
        if let v = corrections.durationMinutes { s.durationMinutes = v }
        return s
    }
}
