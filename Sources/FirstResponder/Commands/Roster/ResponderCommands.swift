import EventStore

/// The roster commands, for ``CommandJSON``.
enum RosterCommands {
    static let types: [any JSONCommand.Type] = [
        RegisterResponder.self, DeactivateResponder.self, ChangeResponderStatus.self, ScheduleShift.self,
        SwapShift.self, RecordTimeOff.self, ChangePolicy.self,
    ]

    /// A registered, active responder, their stream expected; or a rejection naming `field`.
    static func activeResponder(_ id: ResponderID, field: String, _ context: CommandContext) throws -> RosterView.Entry
    {
        let responder = try context.responder(id, field: field)
        guard !responder.deactivated else {
            throw CommandRejection(.responderDeactivated, "\(id) is deactivated", field: field)
        }
        return responder
    }
}

/// A responder joins the roster: `ResponderRegistered` in their new stream. A deactivated responder
/// may register again with their current details; an active one may not.
public struct RegisterResponder: Command, JSONCommand {
    public static let name = "register-responder"
    public var envelope: CommandEnvelope
    /// The registration as the event records it.
    public var registration: ResponderRegistered

    /// The command.
    public init(registration: ResponderRegistered, envelope: CommandEnvelope) {
        self.registration = registration
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            registration: ResponderRegistered(
                responderId: try f.id("responderId", ResponderID.self), role: try f.value("role", ResponderRole.self),
                organization: try f.string("organization"), languages: try f.strings("languages"),
                areas: try f.values("areas", Area.self), stations: try f.optionalStrings("stations"),
                servesAges: try f.optionalObject("servesAges", ResponderRegistered.ServesAges.self),
                displayName: try f.optionalString("displayName")),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let id = registration.responderId
        if let existing = try context.roster().responder(id) {
            guard existing.deactivated else {
                throw CommandRejection(.alreadyExists, "\(id) is registered and active", field: "/responderId")
            }
            context.expect(RosterView.stream(id), version: existing.streamVersion)
        } else {
            try Records.requireNew(RosterView.stream(id), "responder", field: "/responderId", context)
        }
        var decision = Decision()
        decision.append(registration)
        return decision
    }
}

/// A responder leaves the roster: `ResponderDeactivated`. Refused while a dispatch holds them
/// (assigned, en route or on scene).
public struct DeactivateResponder: Command, JSONCommand {
    public static let name = "deactivate-responder"
    public var envelope: CommandEnvelope
    /// The responder.
    public var responderId: ResponderID
    /// Why.
    public var reasonCode: ResponderDeactivated.ReasonCode
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(
        responderId: ResponderID, reasonCode: ResponderDeactivated.ReasonCode, reason: String? = nil,
        envelope: CommandEnvelope
    ) {
        self.responderId = responderId
        self.reasonCode = reasonCode
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            responderId: try f.id("responderId", ResponderID.self),
            reasonCode: try f.value("reasonCode", ResponderDeactivated.ReasonCode.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let responder = try RosterCommands.activeResponder(responderId, field: "/responderId", context)
        guard !responder.isCommitted else {
            throw CommandRejection(
                .responderCommitted,
                "\(responderId) is \(responder.status.rawValue) on \(responder.activeCase?.rawValue ?? "a case")",
                field: "/responderId")
        }
        var decision = Decision()
        decision.append(ResponderDeactivated(responderId: responderId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}

/// A responder's board status changes by hand: `available`, `cleared` or `off-duty`. The dispatch
/// statuses (assigned, en route, on scene) are set by the dispatch commands, and a responder they
/// hold cannot be set otherwise until they clear or are released.
public struct ChangeResponderStatus: Command, JSONCommand {
    public static let name = "change-responder-status"
    public var envelope: CommandEnvelope
    /// The responder.
    public var responderId: ResponderID
    /// The new status.
    public var status: ResponderStatus

    /// The command.
    public init(responderId: ResponderID, status: ResponderStatus, envelope: CommandEnvelope) {
        self.responderId = responderId
        self.status = status
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            responderId: try f.id("responderId", ResponderID.self), status: try f.value("status", ResponderStatus.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        guard [.available, .cleared, .offDuty].contains(status) else {
            throw CommandRejection(
                .notApplicable, "\(status.rawValue) is set by the dispatch commands, not by hand", field: "/status")
        }
        let responder = try RosterCommands.activeResponder(responderId, field: "/responderId", context)
        guard !responder.isCommitted else {
            throw CommandRejection(
                .responderCommitted,
                "\(responderId) is \(responder.status.rawValue) on \(responder.activeCase?.rawValue ?? "a case")",
                field: "/responderId")
        }
        var decision = Decision()
        decision.append(Dispatching.statusChange(responder, to: status))
        return decision
    }
}
