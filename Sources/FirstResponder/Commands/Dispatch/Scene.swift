import EventStore

/// The assigned responder is on the way: `ResponderEnRoute` and the board status en route. A
/// responder who had not acknowledged is taken to have done so (`AssignmentAcknowledged`, ack timer
/// cancelled) — going en route is an acceptance.
public struct EnRoute: Command, JSONCommand {
    public static let name = "en-route"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder (must be the one assigned).
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
        let responder = try context.responder(responderId, field: "/responderId")
        var decision = Decision()
        decision.append(contentsOf: Dispatching.acknowledgeIfNeeded(request, in: file))
        decision.append(
            ResponderEnRoute(caseId: caseId, requestId: requestId, responderId: responderId, etaMinutes: etaMinutes))
        decision.append(Dispatching.statusChange(responder, to: .enRoute, caseId: caseId, requestId: requestId))
        return decision
    }
}

/// The assigned responder is with the youth: `ResponderArrived` (with the request's role) and the
/// board status on scene; an implicit acknowledgement if none came.
///
/// The request's on-scene timer is cancelled (`arrived`), and for a DCFS arrival the immediate
/// hotline referral's timer too. **Service levels, minimally:** a breach is recorded when the
/// clock's timer fires (``HandleTimerFired``); an arrival after the deadline whose timer has not
/// fired yet records the `SLABreached` itself, so a late arrival is never lost to a timer service
/// that ran behind. Measuring every clock (met, breached, open, not applicable) is the projections'
/// job.
public struct Arrive: Command, JSONCommand {
    public static let name = "arrive"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder (must be the one assigned).
    public var responderId: ResponderID

    /// The command.
    public init(caseId: CaseID, requestId: RequestID, responderId: ResponderID, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            responderId: try f.id("responderId", ResponderID.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        try Dispatching.requireDispatched(request, responderId, arriving: true)
        let responder = try context.responder(responderId, field: "/responderId")
        let now = context.occurredAt
        var decision = Decision()
        decision.append(contentsOf: Dispatching.acknowledgeIfNeeded(request, in: file))
        decision.append(
            ResponderArrived(caseId: caseId, requestId: requestId, responderId: responderId, role: request.role))
        if let timer = Dispatching.onSceneTimer(request, in: file) {
            if now > timer.dueAt && !request.onSceneBreached {
                decision.append(
                    SLABreached(
                        caseId: caseId, slaId: request.onSceneServiceLevel, startedAt: request.requestedAt,
                        thresholdSeconds: max(1, Int(request.requestedAt.seconds(until: timer.dueAt))),
                        requestId: requestId, timerId: timer.timerId, policyVersion: request.policyVersion))
            }
            decision.append(TimerCancelled(timerId: timer.timerId, caseId: caseId, reasonCode: .arrived))
        }
        if request.role == .dcfs, let referral = file.referral,
            let timer = file.pendingTimers[file.caseTimerId(.hotlineImmediate)]
        {
            if now > timer.dueAt {
                decision.append(
                    SLABreached(
                        caseId: caseId, slaId: .hotlineImmediate, startedAt: referral.at,
                        thresholdSeconds: max(1, Int(referral.at.seconds(until: timer.dueAt))), timerId: timer.timerId))
            }
            decision.append(TimerCancelled(timerId: timer.timerId, caseId: caseId, reasonCode: .arrived))
        }
        decision.append(Dispatching.statusChange(responder, to: .onScene, caseId: caseId, requestId: requestId))
        return decision
    }
}

/// The responder left the scene: `ResponderCleared` and the board status cleared. The advocate's
/// relationship with the youth goes on; only the dispatch ends.
public struct Clear: Command, JSONCommand {
    public static let name = "clear"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// The responder on scene.
    public var responderId: ResponderID
    /// How the scene ended, when given.
    public var disposition: ResponderCleared.Disposition?

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, responderId: ResponderID,
        disposition: ResponderCleared.Disposition? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.disposition = disposition
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            responderId: try f.id("responderId", ResponderID.self),
            disposition: try f.optionalValue("disposition", ResponderCleared.Disposition.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        guard request.phase == .onScene, let arrival = request.arrival else {
            throw CommandRejection(
                .lifecycle(.clearBeforeArrival),
                "request \(requestId) has nobody on scene (it is \(request.phase.rawValue))",
                field: "/requestId")
        }
        guard arrival.responderId == responderId else {
            throw CommandRejection(
                .notAssigned, "\(responderId) is not the responder on scene for \(requestId)", field: "/responderId")
        }
        var decision = Decision()
        decision.append(
            ResponderCleared(caseId: caseId, requestId: requestId, responderId: responderId, disposition: disposition))
        decision.append(contentsOf: Dispatching.cancelAll(of: request, in: file, .superseded))
        decision.append(
            contentsOf: try Dispatching.release(responderId, from: request, in: file, to: .cleared, context: context))
        return decision
    }
}
