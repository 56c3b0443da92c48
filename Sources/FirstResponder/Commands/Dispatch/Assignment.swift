import EventStore

/// Assigns a waiting request by the policy in force.
///
/// Reads the case, then the log's head P, the board as of P (``RosterView``) and the policy in force
/// at P (``PolicyView``); runs that policy version on the request (``CaseFile/dispatchRequest(_:at:)``)
/// and appends, in one append expecting the case, `roster`, `policy` and chosen responder's streams:
/// `RecommendationComputed` (`decidedAtPosition` P, the roster version, every candidate with score
/// and reasons, every exclusion with its reason code), `ResponderAssigned` (`auto`, the candidate's
/// rank), `NotificationSent`, the ack-timeout `TimerScheduled`, and the responder's
/// `ResponderStatusChanged` (assigned).
///
/// With no candidate the request goes to the on-duty supervisor (`ResponderAssigned`, mode
/// `escalation`); with no supervisor either, only the recommendation is recorded and the request
/// keeps waiting.
public struct AssignByPolicy: Command, JSONCommand {
    public static let name = "assign-by-policy"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The waiting request.
    public var requestId: RequestID
    /// How to notify the responder.
    public var channel: NotificationSent.Channel

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, channel: NotificationSent.Channel = .push, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.channel = channel
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            channel: try f.optionalValue("channel", NotificationSent.Channel.self) ?? .push, envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        // The case first, then the head: everything the case held is at or before the position the
        // decision records, and a later change to the case fails the append.
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        guard request.phase == .awaiting, let input = file.dispatchRequest(request, at: context.occurredAt) else {
            throw CommandRejection(
                .requestNotAwaiting, "request \(requestId) is \(request.phase.rawValue), not awaiting a responder",
                field: "/requestId")
        }
        let position = try context.head()
        let policy = try context.policy()
        let roster = try context.roster()
        context.expectRoster(roster)
        let snapshot = roster.snapshot()
        let recommendation = policy.policy.recommend(input, roster: snapshot, weights: policy.weights)
        var decision = Decision()
        decision.append(
            Dispatching.recorded(
                recommendation, caseId: caseId, requestId: requestId, decidedAtPosition: position,
                rosterVersion: roster.rosterVersion))
        if let first = recommendation.candidates.first {
            let responder = try context.responder(
                ResponderID(uncheckedRawValue: first.responderId), field: "/requestId")
            decision.append(
                contentsOf: Dispatching.assign(
                    responder, to: request, in: file, mode: .auto, rank: first.rank,
                    policyVersion: recommendation.policyVersion, channel: channel, policy: policy,
                    at: context.occurredAt))
        } else if case .supervisor(let id) = Escalation.next(
            after: request.triedIds, recommendation: recommendation, roster: snapshot, area: input.area,
            at: context.occurredAt, maxEscalations: policy.maxEscalations)
        {
            let supervisor = try context.responder(ResponderID(uncheckedRawValue: id), field: "/requestId")
            decision.append(
                contentsOf: Dispatching.assign(
                    supervisor, to: request, in: file, mode: .escalation, policyVersion: recommendation.policyVersion,
                    channel: channel, policy: policy, at: context.occurredAt))
        }
        return decision
    }
}

/// Assigns a responder by a person's decision, overriding the policy: `overrideReason` is required
/// (``CommandRejection/Code/manualAssignmentNeedsReason``). Appends `ResponderAssigned` (`manual`),
/// `NotificationSent`, the ack-timeout timer and the board status.
///
/// On a request whose responder has not arrived yet, the current responder is taken off it first
/// (`AssignmentEscalated`, cause `manual`, with the override reason; their ack timer cancelled as
/// superseded; their board status back to available).
public struct AssignManually: Command, JSONCommand {
    public static let name = "assign-manually"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder chosen.
    public var responderId: ResponderID
    /// Why the policy was overridden (required; never name the youth).
    public var overrideReason: String?
    /// How to notify the responder.
    public var channel: NotificationSent.Channel

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, responderId: ResponderID, overrideReason: String?,
        channel: NotificationSent.Channel = .push, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.overrideReason = overrideReason
        self.channel = channel
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            responderId: try f.id("responderId", ResponderID.self),
            overrideReason: try f.optional("overrideReason") { (v) throws(DomainValidationError) in
                try SchemaDecoding.string(v)
            },
            channel: try f.optionalValue("channel", NotificationSent.Channel.self) ?? .push, envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        guard let reason = overrideReason, reason.contains(where: { !$0.isWhitespace }) else {
            throw CommandRejection(
                .manualAssignmentNeedsReason, "a manual assignment overrides the policy and must say why",
                field: "/overrideReason")
        }
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        let responder = try context.responder(responderId, field: "/responderId")
        guard !responder.deactivated else {
            throw CommandRejection(.responderDeactivated, "\(responderId) is deactivated", field: "/responderId")
        }
        let policy = try context.policy()
        var decision = Decision()
        switch request.phase {
        case .awaiting:
            break
        case .dispatched where request.assigned != responderId:
            let current = request.assigned!
            decision.append(contentsOf: Dispatching.cancel(request.ackTimerId, in: file, .superseded))
            decision.append(
                contentsOf: try Dispatching.release(current, from: request, in: file, to: .available, context: context))
            decision.append(
                AssignmentEscalated(
                    caseId: caseId, requestId: requestId, fromResponderId: current,
                    to: responder.role == .supervisor ? .supervisor : .nextCandidate, toResponderId: responderId,
                    cause: .manual, escalationLevel: min(50, request.escalationLevel + 1),
                    policyVersion: policy.version, reason: reason))
        default:
            throw CommandRejection(
                .requestNotAwaiting,
                "request \(requestId) is \(request.phase.rawValue)\(request.assigned == responderId ? " with \(responderId) on it" : "")",
                field: "/requestId")
        }
        decision.append(
            contentsOf: Dispatching.assign(
                responder, to: request, in: file, mode: .manual, policyVersion: nil, overrideReason: reason,
                channel: channel, policy: policy, at: context.occurredAt))
        return decision
    }
}
