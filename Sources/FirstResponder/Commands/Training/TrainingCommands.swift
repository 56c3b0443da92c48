import EventStore

// Training sessions and parent cohorts are recorded, corrected and voided as given: the rules
// (``TrainingLog``, ``CohortRecord``) refuse an id used twice; completing a cohort that never started
// or was completed already; and correcting or voiding a session or cohort never recorded or voided.

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

extension CorrectTrainingSession {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(TrainingSessionCorrected(sessionId: sessionId, corrections: corrections, reason: reason))
    }
}

extension VoidTrainingSession {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(TrainingSessionVoided(sessionId: sessionId, reasonCode: reasonCode, reason: reason))
    }
}

extension CorrectParentCohort {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(ParentProgramCohortCorrected(cohortId: cohortId, corrections: corrections, reason: reason))
    }
}

extension VoidParentCohort {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(ParentProgramCohortVoided(cohortId: cohortId, reasonCode: reasonCode, reason: reason))
    }
}
