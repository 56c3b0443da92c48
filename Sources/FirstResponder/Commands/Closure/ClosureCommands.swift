import EventStore

/// The closure commands, for ``CommandJSON``.
enum ClosureCommands {
    static let types: [any JSONCommand.Type] = [
        CloseCase.self, DeemOutOfScope.self, ReopenCase.self, SealRecord.self,
    ]

    /// The events that wind a case down before it closes (``CaseLifecycle``: nothing but a reopening
    /// or a sealing follows a closure): each open request cancelled, each responder on scene cleared,
    /// each freed responder's board status, and every pending timer cancelled.
    static func windDown(
        _ file: CaseFile, requests: ResponseCancelled.ReasonCode, timers: TimerCancelled.ReasonCode,
        _ context: CommandContext
    ) throws -> [any DomainEvent] {
        var events: [any DomainEvent] = []
        for request in file.requests {
            if request.isOpen {
                events.append(
                    ResponseCancelled(caseId: file.caseId, requestId: request.requestId, reasonCode: requests))
                events += try Dispatching.release(
                    request.assigned, from: request, in: file, to: .available, context: context)
            } else if request.phase == .onScene, let arrival = request.arrival {
                events.append(
                    ResponderCleared(
                        caseId: file.caseId, requestId: request.requestId, responderId: arrival.responderId))
                events += try Dispatching.release(
                    arrival.responderId, from: request, in: file, to: .cleared, context: context)
            }
        }
        for timer in file.pendingTimersInOrder {
            events.append(TimerCancelled(timerId: timer.timerId, caseId: file.caseId, reasonCode: timers))
        }
        return events
    }
}

/// Closes a case: its open requests are cancelled (`not-needed`), responders on scene cleared,
/// pending timers cancelled (`case-closed`), then `CaseClosed`.
public struct CloseCase: Command, JSONCommand {
    public static let name = "close-case"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// How it ended.
    public var outcome: CaseClosed.Outcome
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(caseId: CaseID, outcome: CaseClosed.Outcome, reason: String? = nil, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.outcome = outcome
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), outcome: try f.value("outcome", CaseClosed.Outcome.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        if file.state.phase.isOpen {
            decision.append(
                contentsOf: try ClosureCommands.windDown(file, requests: .notNeeded, timers: .caseClosed, context))
        }
        decision.append(CaseClosed(caseId: caseId, outcome: outcome, reason: reason))
        return decision
    }
}

/// Records that the case is not a First Responder Protocol case: winds it down like ``CloseCase``
/// (requests cancelled `case-out-of-scope`, timers `case-out-of-scope`), then `CaseDeemedOutOfScope`.
public struct DeemOutOfScope: Command, JSONCommand {
    public static let name = "deem-out-of-scope"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// Why.
    public var reasonCode: CaseDeemedOutOfScope.ReasonCode
    /// Free text; required with `other`.
    public var reason: String?
    /// The case this one duplicates, with `duplicate-report`.
    public var duplicateOfCaseId: CaseID?

    /// The command.
    public init(
        caseId: CaseID, reasonCode: CaseDeemedOutOfScope.ReasonCode, reason: String? = nil,
        duplicateOfCaseId: CaseID? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.reasonCode = reasonCode
        self.reason = reason
        self.duplicateOfCaseId = duplicateOfCaseId
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self),
            reasonCode: try f.value("reasonCode", CaseDeemedOutOfScope.ReasonCode.self),
            reason: try f.optionalReason("reason"),
            duplicateOfCaseId: try f.optionalId("duplicateOfCaseId", CaseID.self),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        if let duplicateOfCaseId { try Records.requireCases([duplicateOfCaseId], field: "/duplicateOfCaseId", context) }
        var decision = Decision()
        if file.state.phase.isOpen {
            decision.append(
                contentsOf: try ClosureCommands.windDown(
                    file, requests: .caseOutOfScope, timers: .caseOutOfScope, context))
        }
        decision.append(
            CaseDeemedOutOfScope(
                caseId: caseId, reasonCode: reasonCode, reason: reason, duplicateOfCaseId: duplicateOfCaseId))
        return decision
    }
}

/// Reopens a closed case: `CaseReopened` (a reason is required). A new contact with the youth is a
/// new case (``ReportRecovery``), not a reopening.
public struct ReopenCase: Command, JSONCommand {
    public static let name = "reopen-case"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// Why, as reports count it.
    public var reasonCode: CaseReopened.ReasonCode
    /// Why, in words.
    public var reason: String

    /// The command.
    public init(caseId: CaseID, reasonCode: CaseReopened.ReasonCode, reason: String, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.reasonCode = reasonCode
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self),
            reasonCode: try f.value("reasonCode", CaseReopened.ReasonCode.self),
            reason: try f.reason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(CaseReopened(caseId: caseId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
