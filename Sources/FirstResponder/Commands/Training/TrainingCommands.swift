import EventStore

/// The training commands, for ``CommandJSON``.
enum TrainingCommands {
    static let types: [any JSONCommand.Type] = [
        HoldTrainingSession.self, StartParentCohort.self, CompleteParentCohort.self,
    ]

    /// The stream of a Parent Empowerment Program cohort.
    static func stream(_ id: CohortID) -> String { "cohort-\(id.rawValue)" }
}

/// A CSEC training class was held: `TrainingSessionHeld` in the `training` stream (a session id is
/// recorded once).
public struct HoldTrainingSession: Command, JSONCommand {
    public static let name = "hold-training-session"
    public var envelope: CommandEnvelope
    /// The session as the event records it.
    public var session: TrainingSessionHeld

    /// The command.
    public init(session: TrainingSessionHeld, envelope: CommandEnvelope) {
        self.session = session
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            session: TrainingSessionHeld(
                sessionId: try f.id("sessionId", SessionID.self), courseCode: try f.string("courseCode"),
                courseTitle: try f.string("courseTitle"),
                audienceSector: try f.value("audienceSector", AudienceSector.self),
                attendees: try f.integer("attendees"), area: try f.optionalValue("area", Area.self),
                delivery: try f.optionalValue("delivery", TrainingSessionHeld.Delivery.self),
                durationMinutes: try f.optionalInteger("durationMinutes")),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let held = try context.readStream("training").compactMap {
            try? EventCatalog.decode($0) as? TrainingSessionHeld
        }
        if held.contains(where: { $0.sessionId == session.sessionId }) {
            throw CommandRejection(
                .alreadyExists, "training session \(session.sessionId) is recorded already", field: "/sessionId")
        }
        var decision = Decision()
        decision.append(session)
        return decision
    }
}

/// A Parent Empowerment Program cohort began: `ParentProgramCohortStarted` (a new cohort id).
public struct StartParentCohort: Command, JSONCommand {
    public static let name = "start-parent-cohort"
    public var envelope: CommandEnvelope
    /// The cohort as the event records it.
    public var cohort: ParentProgramCohortStarted

    /// The command.
    public init(cohort: ParentProgramCohortStarted, envelope: CommandEnvelope) {
        self.cohort = cohort
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            cohort: ParentProgramCohortStarted(
                cohortId: try f.id("cohortId", CohortID.self), weeks: try f.integer("weeks"),
                participants: try f.integer("participants"), area: try f.optionalValue("area", Area.self),
                language: try f.optionalString("language")),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        try Records.requireNew(TrainingCommands.stream(cohort.cohortId), "cohort", field: "/cohortId", context)
        var decision = Decision()
        decision.append(cohort)
        return decision
    }
}

/// A cohort finished: `ParentProgramCohortCompleted` (completers ≤ participants). It must have
/// started and not completed.
public struct CompleteParentCohort: Command, JSONCommand {
    public static let name = "complete-parent-cohort"
    public var envelope: CommandEnvelope
    /// The completion as the event records it.
    public var completion: ParentProgramCohortCompleted

    /// The command.
    public init(completion: ParentProgramCohortCompleted, envelope: CommandEnvelope) {
        self.completion = completion
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            completion: ParentProgramCohortCompleted(
                cohortId: try f.id("cohortId", CohortID.self), weeks: try f.optionalInteger("weeks"),
                participants: try f.integer("participants"), completers: try f.integer("completers")),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let events = try Records.events(
            TrainingCommands.stream(completion.cohortId), "cohort", field: "/cohortId", context)
        guard !events.contains(where: { $0 is ParentProgramCohortCompleted }) else {
            throw CommandRejection(
                .recordClosed, "cohort \(completion.cohortId) was completed already", field: "/cohortId")
        }
        var decision = Decision()
        decision.append(completion)
        return decision
    }
}
