import EventStore

/// The training commands, for ``CommandJSON``.
enum TrainingCommands {
    /// The stream of a Parent Empowerment Program cohort.
    static func stream(_ id: CohortID) -> String { "cohort-\(id.rawValue)" }
}

extension HoldTrainingSession {
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

extension StartParentCohort {
    func decide(_ context: CommandContext) throws -> Decision {
        try Records.requireNew(TrainingCommands.stream(cohort.cohortId), "cohort", field: "/cohortId", context)
        var decision = Decision()
        decision.append(cohort)
        return decision
    }
}

extension CompleteParentCohort {
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
