import EventStore

// A recovery and a placement decision are corrected and voided as given, like an arrest: the rules
// (``CaseLifecycle`` and the case's own checks) refuse a case never reported or voided already, a void
// of a recovery whose case is still open, a placement correction or void with no placement standing,
// and a corrected place or operation the county's data or the operation's window does not allow.

extension CorrectRecovery {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(RecoveryCorrected(caseId: caseId, corrections: corrections, reason: reason))
        return decision
    }
}

extension VoidRecovery {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(RecoveryVoided(caseId: caseId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}

extension CorrectPlacement {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(PlacementCorrected(caseId: caseId, corrections: corrections, reason: reason))
        return decision
    }
}

extension VoidPlacement {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(PlacementVoided(caseId: caseId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
