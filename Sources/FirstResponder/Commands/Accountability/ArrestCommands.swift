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

/// An adult was arrested as a trafficker, exploiter or buyer: `ArrestRecorded` (current version; the
/// person is never identified). Linked cases and the operation must exist.
public struct RecordArrest: Command, JSONCommand {
    public static let name = "record-arrest"
    public var envelope: CommandEnvelope
    /// The arrest as the event records it (a new arrest id).
    public var arrest: ArrestRecorded

    /// The command: the arrest as the event records it.
    public init(arrest: ArrestRecorded, envelope: CommandEnvelope) {
        self.arrest = arrest
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            arrest: ArrestRecorded(
                arrestId: try f.id("arrestId", ArrestID.self), role: try f.value("role", ArrestRole.self),
                agency: try f.value("agency", Agency.self), agencyName: try f.optionalString("agencyName"),
                station: try f.string("station"), area: try f.value("area", Area.self),
                arrestedAt: try f.timestamp("arrestedAt"), linkedCaseIds: try f.ids("linkedCaseIds", CaseID.self),
                charges: try f.optionalStrings("charges"),
                operationId: try f.optionalId("operationId", OperationID.self)),
            envelope: f.envelope)
    }

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

/// Corrects fields of a recorded arrest: `ArrestCorrected` (each corrected field replaced whole; a
/// reason is required). The arrest must exist and not be voided.
public struct CorrectArrest: Command, JSONCommand {
    public static let name = "correct-arrest"
    public var envelope: CommandEnvelope
    /// The arrest.
    public var arrestId: ArrestID
    /// The new values.
    public var corrections: ArrestCorrected.Corrections
    /// Why.
    public var reason: String

    /// The command.
    public init(
        arrestId: ArrestID, corrections: ArrestCorrected.Corrections, reason: String, envelope: CommandEnvelope
    ) {
        self.arrestId = arrestId
        self.corrections = corrections
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            arrestId: try f.id("arrestId", ArrestID.self),
            corrections: try f.object("corrections", ArrestCorrected.Corrections.self), reason: try f.reason("reason"),
            envelope: f.envelope)
    }

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

/// A recorded arrest must not be counted: `ArrestVoided` (a reason is required). Voiding twice is
/// refused.
public struct VoidArrest: Command, JSONCommand {
    public static let name = "void-arrest"
    public var envelope: CommandEnvelope
    /// The arrest.
    public var arrestId: ArrestID
    /// Why, as reports count it.
    public var reasonCode: ArrestVoided.ReasonCode
    /// Why, in words.
    public var reason: String

    /// The command.
    public init(arrestId: ArrestID, reasonCode: ArrestVoided.ReasonCode, reason: String, envelope: CommandEnvelope) {
        self.arrestId = arrestId
        self.reasonCode = reasonCode
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            arrestId: try f.id("arrestId", ArrestID.self),
            reasonCode: try f.value("reasonCode", ArrestVoided.ReasonCode.self),
            reason: try f.reason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        try ArrestCommands.requireCountable(arrestId, context)
        var decision = Decision()
        decision.append(ArrestVoided(arrestId: arrestId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
