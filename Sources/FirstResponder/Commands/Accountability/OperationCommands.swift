import EventStore

// Operations start, end, are corrected and voided as given: the rules (``OperationRecord``) refuse an
// operation id used twice; ending, correcting or voiding one that never started or was voided; ending
// one twice or before it started; and a correction whose end precedes its start or whose place is not
// the county's.

extension StartOperation {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(
            OperationStarted(
                operationId: operationId, name: operationName, agency: agency, agencyName: agencyName, area: area,
                station: station, focus: focus))
        return decision
    }
}

extension EndOperation {
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(OperationEnded(operationId: operationId))
        return decision
    }
}

extension CorrectOperation {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(OperationCorrected(operationId: operationId, corrections: corrections, reason: reason))
    }
}

extension VoidOperation {
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(OperationVoided(operationId: operationId, reasonCode: reasonCode, reason: reason))
    }
}
