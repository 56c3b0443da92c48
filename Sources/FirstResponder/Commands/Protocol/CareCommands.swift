import EventStore

/// A health evaluation was done: `MedicalEvaluationCompleted` (only its kind, never a finding). The
/// HEALTH-72 timer is cancelled (`milestone-met`).
public struct CompleteMedicalEvaluation: Command, JSONCommand {
    public static let name = "complete-medical-evaluation"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The kind of evaluation.
    public var kind: MedicalEvaluationKind

    /// The command.
    public init(caseId: CaseID, kind: MedicalEvaluationKind, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.kind = kind
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), kind: try f.value("kind", MedicalEvaluationKind.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(MedicalEvaluationCompleted(caseId: caseId, kind: kind))
        decision.append(contentsOf: Dispatching.cancel(file.caseTimerId(.health72), in: file, .milestoneMet))
        return decision
    }
}

/// The health evaluation was declined: `MedicalEvaluationDeclined` (a youth may decline at 12 or
/// older: `ageAtDecline`). Declining meets the HEALTH-72 milestone; its timer is cancelled.
public struct DeclineMedicalEvaluation: Command, JSONCommand {
    public static let name = "decline-medical-evaluation"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The kind of evaluation declined.
    public var kind: MedicalEvaluationKind
    /// Who declined.
    public var declinedBy: MedicalEvaluationDeclined.DeclinedBy
    /// The youth's age, required when the youth declined (at least 12).
    public var ageAtDecline: Int?
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(
        caseId: CaseID, kind: MedicalEvaluationKind, declinedBy: MedicalEvaluationDeclined.DeclinedBy,
        ageAtDecline: Int? = nil, reason: String? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.kind = kind
        self.declinedBy = declinedBy
        self.ageAtDecline = ageAtDecline
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), kind: try f.value("kind", MedicalEvaluationKind.self),
            declinedBy: try f.value("declinedBy", MedicalEvaluationDeclined.DeclinedBy.self),
            ageAtDecline: try f.optionalInteger("ageAtDecline"), reason: try f.optionalReason("reason"),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(
            MedicalEvaluationDeclined(
                caseId: caseId, kind: kind, declinedBy: declinedBy, ageAtDecline: ageAtDecline, reason: reason))
        decision.append(contentsOf: Dispatching.cancel(file.caseTimerId(.health72), in: file, .milestoneMet))
        return decision
    }
}

/// Where the youth will stay was decided: `PlacementDecided` (its kind, never an address).
public struct DecidePlacement: Command, JSONCommand {
    public static let name = "decide-placement"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The kind of placement.
    public var kind: PlacementDecided.Kind
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(caseId: CaseID, kind: PlacementDecided.Kind, reason: String? = nil, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.kind = kind
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), kind: try f.value("kind", PlacementDecided.Kind.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(PlacementDecided(caseId: caseId, kind: kind, reason: reason))
        return decision
    }
}

/// A multidisciplinary team met about the youth: `MDTMeetingHeld`.
public struct HoldMDTMeeting: Command, JSONCommand {
    public static let name = "hold-mdt-meeting"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// Who took part, by sector.
    public var participants: [MDTMeetingHeld.Participant]

    /// The command.
    public init(caseId: CaseID, participants: [MDTMeetingHeld.Participant], envelope: CommandEnvelope) {
        self.caseId = caseId
        self.participants = participants
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self),
            participants: try f.values("participants", MDTMeetingHeld.Participant.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(MDTMeetingHeld(caseId: caseId, participants: participants))
        return decision
    }
}
