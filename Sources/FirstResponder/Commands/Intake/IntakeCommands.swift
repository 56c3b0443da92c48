import EventStore

/// The intake commands, for ``CommandJSON``.
enum IntakeCommands {
    static let types: [any JSONCommand.Type] = [
        ReportRecovery.self, LinkYouthIdentity.self, CreateHotlineReferral.self,
    ]
}

/// Records that the case's youth is the same person as an earlier youth reference (a repeat
/// recovery recognised after intake): `YouthIdentityLinked`. The earlier reference must belong to
/// a reported case; continuity and unique-youth counts merge the two from then on.
public struct LinkYouthIdentity: Command, JSONCommand {
    public static let name = "link-youth-identity"
    public var envelope: CommandEnvelope
    /// The case whose youth is recognised.
    public var caseId: CaseID
    /// The earlier reference of the same youth.
    public var sameAsYouthRef: YouthRef
    /// How the match was made.
    public var basis: YouthIdentityLinked.Basis
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(
        caseId: CaseID, sameAsYouthRef: YouthRef, basis: YouthIdentityLinked.Basis, reason: String? = nil,
        envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.sameAsYouthRef = sameAsYouthRef
        self.basis = basis
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), sameAsYouthRef: try f.id("sameAsYouthRef", YouthRef.self),
            basis: try f.value("basis", YouthIdentityLinked.Basis.self), reason: try f.optionalReason("reason"),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        guard !(try context.roster().cases(ofYouth: sameAsYouthRef).isEmpty) else {
            throw CommandRejection(
                .unknownRecord, "no reported case has youth reference \(sameAsYouthRef)", field: "/sameAsYouthRef")
        }
        var decision = Decision()
        decision.append(
            YouthIdentityLinked(
                caseId: caseId, youthRef: youthRef, sameAsYouthRef: sameAsYouthRef, basis: basis, reason: reason))
        return decision
    }
}

/// Records the DCFS hotline's referral: `HotlineReferralCreated`. An `immediate` referral starts the
/// HOTLINE-IMMEDIATE clock: a `hotline-immediate` timer (`T-<case key>-HOT`) at the policy's
/// threshold, cancelled by the first DCFS arrival.
public struct CreateHotlineReferral: Command, JSONCommand {
    public static let name = "create-hotline-referral"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The referral's 19-digit number.
    public var referralNumber: ReferralNumber
    /// The hotline's response category.
    public var responseCategory: HotlineReferralCreated.ResponseCategory

    /// The command.
    public init(
        caseId: CaseID, referralNumber: ReferralNumber, responseCategory: HotlineReferralCreated.ResponseCategory,
        envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.referralNumber = referralNumber
        self.responseCategory = responseCategory
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), referralNumber: try f.id("referralNumber", ReferralNumber.self),
            responseCategory: try f.value("responseCategory", HotlineReferralCreated.ResponseCategory.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(
            HotlineReferralCreated(caseId: caseId, referralNumber: referralNumber, responseCategory: responseCategory))
        let timerId = file.caseTimerId(.hotlineImmediate)
        if responseCategory == .immediate, !file.scheduledTimerIds.contains(timerId) {
            let threshold = try context.policy().threshold(.hotlineImmediate)
            decision.append(
                TimerScheduled(
                    timerId: timerId, kind: .hotlineImmediate,
                    dueAt: context.occurredAt.adding(seconds: Int64(threshold)), caseId: caseId))
        }
        return decision
    }
}
