import EventStore

/// Checks the commands share for the streams of one record each (operations, arrests, cohorts,
/// responders): is the id new, does it exist, what happened to it.
enum Records {
    /// Rejects with ``CommandRejection/Code/alreadyExists`` unless `stream` is empty; expects it empty.
    static func requireNew(_ stream: String, _ noun: String, field: String, _ context: CommandContext) throws {
        guard try context.streamVersion(stream) == 0 else {
            throw CommandRejection(.alreadyExists, "\(noun) \(stream) exists already", field: field)
        }
    }

    /// Rejects with ``CommandRejection/Code/unknownRecord`` unless `stream` has events. Expects
    /// nothing: a stream never goes away, so the check cannot be invalidated by a concurrent command.
    static func requireExisting(_ stream: String, _ noun: String, field: String, _ context: CommandContext) throws {
        guard try context.store.streamHead(stream) != nil else {
            throw CommandRejection(.unknownRecord, "no \(noun) \(stream)", field: field)
        }
    }

    /// The decoded events of `stream` (expected at the version read), or
    /// ``CommandRejection/Code/unknownRecord`` when it has none.
    static func events(_ stream: String, _ noun: String, field: String, _ context: CommandContext) throws
        -> [any DomainEvent]
    {
        let recorded = try context.readStream(stream)
        guard !recorded.isEmpty else { throw CommandRejection(.unknownRecord, "no \(noun) \(stream)", field: field) }
        return recorded.compactMap { try? EventCatalog.decode($0) }
    }

    /// Rejects unless every case of `caseIds` was reported; the error points at the first missing
    /// one (`/linkedCaseIds/2`).
    static func requireCases(_ caseIds: [CaseID], field: String, _ context: CommandContext) throws {
        for (index, caseId) in caseIds.enumerated() where try context.store.streamHead(CaseFile.stream(caseId)) == nil {
            throw CommandRejection(.unknownCase, "case \(caseId) was never reported", field: "\(field)/\(index)")
        }
    }
}
