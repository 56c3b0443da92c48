import EventStore

enum OperationCommands {
    /// The stream of an operation.
    static func stream(_ id: OperationID) -> String { "operation-\(id.rawValue)" }
}

extension StartOperation {
    func decide(_ context: CommandContext) throws -> Decision {
        try Records.requireNew(OperationCommands.stream(operationId), "operation", field: "/operationId", context)
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
        let events = try Records.events(
            OperationCommands.stream(operationId), "operation", field: "/operationId", context)
        guard !events.contains(where: { $0 is OperationEnded }) else {
            throw CommandRejection(.recordClosed, "operation \(operationId) has ended already", field: "/operationId")
        }
        var decision = Decision()
        decision.append(OperationEnded(operationId: operationId))
        return decision
    }
}
