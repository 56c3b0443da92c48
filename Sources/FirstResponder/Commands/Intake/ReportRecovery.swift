public import EventStore

/// Reports a law-enforcement contact with a youth: opens the case. Appends `RecoveryReported`
/// (expecting no stream: a case id is reported once) and the case's 72-hour timers, both from
/// `contactAt`: `protocol-72` (`T-<case key>-P72`, at contact + 72 h, which closes the protocol
/// window) and `health-72` (`T-<case key>-H72`, at contact + the policy's HEALTH-72 threshold).
///
/// An `operationId` must name a started operation.
public struct ReportRecovery: Command, JSONCommand {
    public static let name = "report-recovery"
    public var envelope: CommandEnvelope
    /// The new case's id.
    public var caseId: CaseID
    /// The youth's pseudonymous reference.
    public var youthRef: YouthRef
    /// The law-enforcement agency.
    public var agency: Agency
    /// The department's name, with `OTHER` only.
    public var agencyName: String?
    /// The station.
    public var station: String
    /// The Service Planning Area.
    public var area: Area
    /// When the officer came into contact with the youth.
    public var contactAt: Timestamp
    /// How the contact happened.
    public var context: RecoveryReported.Context
    /// The operation, if any.
    public var operationId: OperationID?
    /// The youth's age at contact, if known.
    public var ageAtContact: Int?
    /// The youth's language, if known.
    public var language: String?
    /// Whether the youth is under DCFS or Probation supervision.
    public var onSupervision: RecoveryReported.OnSupervision?
    /// Whether the youth is AWOL from a placement.
    public var awol: Bool?

    /// The command.
    public init(
        caseId: CaseID, youthRef: YouthRef, agency: Agency, agencyName: String? = nil, station: String, area: Area,
        contactAt: Timestamp, context: RecoveryReported.Context, operationId: OperationID? = nil,
        ageAtContact: Int? = nil, language: String? = nil, onSupervision: RecoveryReported.OnSupervision? = nil,
        awol: Bool? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.youthRef = youthRef
        self.agency = agency
        self.agencyName = agencyName
        self.station = station
        self.area = area
        self.contactAt = contactAt
        self.context = context
        self.operationId = operationId
        self.ageAtContact = ageAtContact
        self.language = language
        self.onSupervision = onSupervision
        self.awol = awol
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), youthRef: try f.id("youthRef", YouthRef.self),
            agency: try f.value("agency", Agency.self), agencyName: try f.optionalString("agencyName"),
            station: try f.string("station"), area: try f.value("area", Area.self),
            contactAt: try f.timestamp("contactAt"), context: try f.value("context", RecoveryReported.Context.self),
            operationId: try f.optionalId("operationId", OperationID.self),
            ageAtContact: try f.optionalInteger("ageAtContact"), language: try f.optionalString("language"),
            onSupervision: try f.optionalValue("onSupervision", RecoveryReported.OnSupervision.self),
            awol: try f.optionalBool("awol"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.caseFile(caseId)
        if let operationId {
            try Records.requireExisting(
                OperationCommands.stream(operationId), "operation", field: "/operationId", context)
        }
        let policy = try context.policy()
        var decision = Decision()
        decision.append(
            RecoveryReported(
                caseId: caseId, youthRef: youthRef, agency: agency, agencyName: agencyName, station: station,
                area: area,
                contactAt: contactAt, context: self.context, operationId: operationId, ageAtContact: ageAtContact,
                language: language, onSupervision: onSupervision, awol: awol))
        decision.append(
            TimerScheduled(
                timerId: file.caseTimerId(.protocol72), kind: .protocol72,
                dueAt: contactAt.adding(seconds: CaseMilestones.windowSeconds), caseId: caseId))
        decision.append(
            TimerScheduled(
                timerId: file.caseTimerId(.health72), kind: .health72,
                dueAt: contactAt.adding(seconds: Int64(policy.threshold(.health72))), caseId: caseId))
        return decision
    }
}
