public import EventStore

/// The training classes held, as the rules read them: the fold of the `training` stream.
public struct TrainingLog: Aggregate {
    /// One session held.
    public struct Session: Sendable {
        /// As recorded.
        public var held: TrainingSessionHeld
        /// When it was held (the event's occurredAt).
        public var heldAt: Timestamp
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
        if case .trainingSessionHeld(let e) = event {
            sessions[e.sessionId] = Session(held: e, heldAt: facts.occurredAt)
        }
    }

    /// Checks an event of the training stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        if case .trainingSessionHeld(let e) = event {
            guard sessions[e.sessionId] == nil else {
                throw RuleViolation(
                    .alreadyExists, at: "/data/sessionId", "training session \(e.sessionId) is recorded already")
            }
            let county = try log.county()
            try county.checkCourse(e.courseCode, at: facts.occurredAt, pointer: "/data/courseCode")
            if let area = e.area { try county.checkArea(area, at: facts.occurredAt, pointer: "/data/area") }
        }
        fold(event, facts)
    }
}
