import EventStore

/// The roster commands, for ``CommandJSON``.
enum RosterCommands {
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

extension RegisterResponder {
    /// Records the registration as given: the rules (``ResponderRecord``) refuse an active
    /// responder's id; a deactivated one registers again.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(registration)
        return decision
    }
}

extension DeactivateResponder {
    /// Records the deactivation: the rules (``ResponderRecord``) refuse a responder never registered,
    /// deactivated already, or held by a dispatch.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(ResponderDeactivated(responderId: responderId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}

extension ChangeResponderStatus {
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
