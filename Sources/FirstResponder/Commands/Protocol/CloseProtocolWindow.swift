import EventStore

/// Closes the case's 72-hour protocol window: `ProtocolWindowClosed`, with the milestones that fell
/// inside contact + 72 h as the log knows them at the head it reads (`decidedAtPosition`), and the
/// `protocol-72` timer cancelled if still pending. The `protocol-72` timer firing does the same
/// (``HandleTimerFired``). Rejected before the window ends (``CommandRejection/Code/protocolWindow``).
public struct CloseProtocolWindow: Command, JSONCommand {
    public static let name = "close-protocol-window"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID

    /// The command.
    public init(caseId: CaseID, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(caseId: try f.id("caseId", CaseID.self), envelope: f.envelope)
    }

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

/// The 72-hour commands, for ``CommandJSON``.
enum ProtocolCommands {
    static let types: [any JSONCommand.Type] = [
        OfferServices.self, AcceptServices.self, DeclineServices.self, CompleteMedicalEvaluation.self,
        DeclineMedicalEvaluation.self, DecidePlacement.self, HoldMDTMeeting.self, ReportMissing.self,
        ReportReturned.self, CloseProtocolWindow.self,
    ]
}
