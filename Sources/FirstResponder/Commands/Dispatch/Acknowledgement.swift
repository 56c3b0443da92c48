import EventStore

/// Notifies the assigned responder again (they have not acknowledged): `NotificationSent` with the
/// next attempt number and a fresh ack-timeout timer; the previous one is cancelled as superseded.
public struct Notify: Command, JSONCommand {
    public static let name = "notify"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request whose responder is notified.
    public var requestId: RequestID
    /// How.
    public var channel: NotificationSent.Channel

    /// The command.
    public init(caseId: CaseID, requestId: RequestID, channel: NotificationSent.Channel, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.requestId = requestId
        self.channel = channel
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            channel: try f.value("channel", NotificationSent.Channel.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        guard let responderId = request.assigned, request.phase == .dispatched else {
            throw CommandRejection(
                .notAssigned, "request \(requestId) has no responder dispatched to notify", field: "/requestId")
        }
        guard !request.acknowledged else {
            throw CommandRejection(.alreadyAcknowledged, "\(responderId) acknowledged already", field: "/requestId")
        }
        var decision = Decision()
        decision.append(contentsOf: Dispatching.cancel(request.ackTimerId, in: file, .superseded))
        decision.append(
            contentsOf: Dispatching.notify(
                responderId, on: request, in: file, attempt: request.notificationAttempts + 1, channel: channel,
                policy: try context.policy(), at: context.occurredAt))
        return decision
    }
}

/// The assigned responder accepts: `AssignmentAcknowledged` and the ack timer cancelled.
public struct Acknowledge: Command, JSONCommand {
    public static let name = "acknowledge"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder acknowledging (must be the one assigned).
    public var responderId: ResponderID
    /// Their estimate, when given.
    public var etaMinutes: Int?

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, responderId: ResponderID, etaMinutes: Int? = nil,
        envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.etaMinutes = etaMinutes
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            responderId: try f.id("responderId", ResponderID.self), etaMinutes: try f.optionalInteger("etaMinutes"),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        try Dispatching.requireDispatched(request, responderId)
        guard !request.acknowledged else {
            throw CommandRejection(.alreadyAcknowledged, "\(responderId) acknowledged already", field: "/responderId")
        }
        var decision = Decision()
        decision.append(
            AssignmentAcknowledged(
                caseId: caseId, requestId: requestId, responderId: responderId, etaMinutes: etaMinutes))
        decision.append(contentsOf: Dispatching.cancel(request.ackTimerId, in: file, .acknowledged))
        return decision
    }
}

/// The assigned responder declines: `AssignmentDeclined`, their ack timer cancelled, their board
/// status back to available, and the request escalated to the next candidate or a supervisor
/// (see ``Dispatching/escalate(from:cause:reason:request:in:context:)``).
public struct Decline: Command, JSONCommand {
    public static let name = "decline"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder declining (must be the one assigned).
    public var responderId: ResponderID
    /// Why.
    public var reasonCode: AssignmentDeclined.ReasonCode
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, responderId: ResponderID, reasonCode: AssignmentDeclined.ReasonCode,
        reason: String? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.reasonCode = reasonCode
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            responderId: try f.id("responderId", ResponderID.self),
            reasonCode: try f.value("reasonCode", AssignmentDeclined.ReasonCode.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        try Dispatching.requireDispatched(request, responderId)
        var decision = Decision()
        decision.append(
            AssignmentDeclined(
                caseId: caseId, requestId: requestId, responderId: responderId, reasonCode: reasonCode, reason: reason))
        decision.append(contentsOf: Dispatching.cancel(request.ackTimerId, in: file, .superseded))
        decision.append(
            contentsOf: try Dispatching.release(responderId, from: request, in: file, to: .available, context: context))
        decision.append(
            contentsOf: try Dispatching.escalate(
                from: responderId, cause: .declined, request: request, in: file, context: context))
        return decision
    }
}
