import EventStore

extension CompleteMedicalEvaluation {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(MedicalEvaluationCompleted(caseId: caseId, kind: kind))
        decision.append(contentsOf: Dispatching.cancel(file.caseTimerId(.health72), in: file, .milestoneMet))
        return decision
    }
}

extension DeclineMedicalEvaluation {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(
            MedicalEvaluationDeclined(
                caseId: caseId, kind: kind, declinedBy: declinedBy, ageAtDecline: ageAtDecline, reason: reason))
        decision.append(contentsOf: Dispatching.cancel(file.caseTimerId(.health72), in: file, .milestoneMet))
        return decision
    }
}

extension DecidePlacement {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(PlacementDecided(caseId: caseId, kind: kind, reason: reason))
        return decision
    }
}

extension HoldMDTMeeting {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(MDTMeetingHeld(caseId: caseId, participants: participants))
        return decision
    }
}
