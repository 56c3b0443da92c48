import EventStore

// Training sessions and parent cohorts are recorded as given: the rules (``TrainingLog``,
// ``CohortRecord``) refuse an id used twice, and completing a cohort that never started or was
// completed already.

extension HoldTrainingSession {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(session)
        return decision
    }
}

extension StartParentCohort {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(cohort)
        return decision
    }
}

extension CompleteParentCohort {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(completion)
        return decision
    }
}
