import EventStore

enum ArrestCommands {
    /// The stream of an arrest.
    static func stream(_ id: ArrestID) -> String { "arrest-\(id.rawValue)" }

    /// The arrest's events, or a rejection when it was never recorded or was voided.
    static func requireCountable(_ id: ArrestID, _ context: CommandContext) throws {
        let events = try Records.events(stream(id), "arrest", field: "/arrestId", context)
        guard !events.contains(where: { $0 is ArrestVoided }) else {
            throw CommandRejection(.recordClosed, "arrest \(id) was voided", field: "/arrestId")
        }
    }
}

extension RecordArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        try Records.requireNew(ArrestCommands.stream(arrest.arrestId), "arrest", field: "/arrestId", context)
        try Records.requireCases(arrest.linkedCaseIds, field: "/linkedCaseIds", context)
        if let operationId = arrest.operationId {
            try Records.requireExisting(
                OperationCommands.stream(operationId), "operation", field: "/operationId", context)
        }
        var decision = Decision()
        decision.append(arrest)
        return decision
    }
}

extension CorrectArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        try ArrestCommands.requireCountable(arrestId, context)
        if let cases = corrections.linkedCaseIds {
            try Records.requireCases(cases, field: "/corrections/linkedCaseIds", context)
        }
        if let operationId = corrections.operationId?.wrapped {
            try Records.requireExisting(
                OperationCommands.stream(operationId), "operation", field: "/corrections/operationId", context)
        }
        var decision = Decision()
        decision.append(ArrestCorrected(arrestId: arrestId, corrections: corrections, reason: reason))
        return decision
    }
}

extension VoidArrest {
    func decide(_ context: CommandContext) throws -> Decision {
        try ArrestCommands.requireCountable(arrestId, context)
        var decision = Decision()
        decision.append(ArrestVoided(arrestId: arrestId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
