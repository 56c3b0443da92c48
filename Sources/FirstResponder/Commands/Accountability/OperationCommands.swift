import EventStore

// Operations start and end as given: the rules (``OperationRecord``) refuse an operation id used
// twice, and ending one that never started, ended already or would end before it started.

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
