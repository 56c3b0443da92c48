public import EventStore

/// The youth left and cannot be found: `YouthWentMissing` (the youth reference from the case).
/// Nobody can be dispatched to the youth until they return; open requests stay open for
/// escalation, cancellation or clearing, and clocks keep running.
public struct ReportMissing: Command, JSONCommand {
    public static let name = "report-missing"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// When the youth was last seen, if known.
    public var lastSeenAt: Timestamp?
    /// Whether a missing-person report was made.
    public var reportedToLawEnforcement: Bool?

    /// The command.
    public init(
        caseId: CaseID, lastSeenAt: Timestamp? = nil, reportedToLawEnforcement: Bool? = nil,
        envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.lastSeenAt = lastSeenAt
        self.reportedToLawEnforcement = reportedToLawEnforcement
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), lastSeenAt: try f.optionalTimestamp("lastSeenAt"),
            reportedToLawEnforcement: try f.optionalBool("reportedToLawEnforcement"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        var decision = Decision()
        decision.append(
            YouthWentMissing(
                caseId: caseId, youthRef: youthRef, lastSeenAt: lastSeenAt,
                reportedToLawEnforcement: reportedToLawEnforcement))
        return decision
    }
}

/// The youth is back: `YouthReturned`. A return through a new law-enforcement contact names the new
/// case (`newCaseId`, which must have been reported).
public struct ReportReturned: Command, JSONCommand {
    public static let name = "report-returned"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// How the youth came back.
    public var how: YouthReturned.How
    /// The new case, with `recovered-new-contact`.
    public var newCaseId: CaseID?

    /// The command.
    public init(caseId: CaseID, how: YouthReturned.How, newCaseId: CaseID? = nil, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.how = how
        self.newCaseId = newCaseId
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), how: try f.value("how", YouthReturned.How.self),
            newCaseId: try f.optionalId("newCaseId", CaseID.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        if let newCaseId { try Records.requireCases([newCaseId], field: "/newCaseId", context) }
        var decision = Decision()
        decision.append(YouthReturned(caseId: caseId, youthRef: youthRef, how: how, newCaseId: newCaseId))
        return decision
    }
}
