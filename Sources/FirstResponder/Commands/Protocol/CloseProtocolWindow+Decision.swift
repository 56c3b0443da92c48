import EventStore

extension CloseProtocolWindow {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(contentsOf: try Self.events(file, context, cancellingTimer: true))
        return decision
    }

    /// `ProtocolWindowClosed` for `file` (and the timer's cancellation when asked).
    static func events(_ file: CaseFile, _ context: CommandContext, cancellingTimer: Bool) throws -> [any DomainEvent] {
        guard let contactAt = file.contactAt, let windowEndsAt = file.protocolWindowEndsAt else { return [] }
        guard context.occurredAt >= windowEndsAt else {
            throw CommandRejection(
                .protocolWindow, "the 72-hour window of case \(file.caseId) ends at \(windowEndsAt)",
                field: "/occurredAt")
        }
        let closed = ProtocolWindowClosed(
            caseId: file.caseId, contactAt: contactAt, windowEndsAt: windowEndsAt,
            decidedAtPosition: Int(try context.head()), milestones: file.milestones.within(windowEndsAt),
            wentMissingInWindow: file.milestones.wentMissing(between: contactAt, and: windowEndsAt))
        let cancel = cancellingTimer ? Dispatching.cancel(file.caseTimerId(.protocol72), in: file, .milestoneMet) : []
        return [closed] + cancel
    }
}
