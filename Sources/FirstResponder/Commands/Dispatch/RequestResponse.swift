import EventStore

/// Requests a responder of one role for a case. Appends `ResponseRequested` (its id derived:
/// `RQ-<case key>-<n>`, its deadline the policy's on-scene threshold after `occurredAt`) and the
/// request's on-scene timer (`advocate-on-scene` or `agency-on-scene`, `T-<case key>-<n>-SCENE`), which
/// records the breach if nobody arrives by the deadline.
///
/// Rejected when the case already has an open request for the role (``CommandRejection/Code/requestAlreadyOpen``).
public struct RequestResponse: Command, JSONCommand {
    public static let name = "request-response"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The role needed.
    public var role: RequestRole

    /// The command.
    public init(caseId: CaseID, role: RequestRole, envelope: CommandEnvelope) {
        self.caseId = caseId
        self.role = role
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), role: try f.value("role", RequestRole.self), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        if let open = file.openRequests.first(where: { $0.role == role }) {
            throw CommandRejection(
                .requestAlreadyOpen, "case \(caseId) already has an open \(role.rawValue) request (\(open.requestId))",
                field: "/role")
        }
        let policy = try context.policy()
        let level: ServiceLevel = role == .advocate ? .advocateOnScene : .agencyOnScene
        let deadline = context.occurredAt.adding(seconds: Int64(policy.threshold(level)))
        let requestId = file.nextRequestId
        var decision = Decision()
        decision.append(
            ResponseRequested(
                caseId: caseId, requestId: requestId, role: role, deadlineAt: deadline, policyVersion: policy.version))
        decision.append(
            TimerScheduled(
                timerId: file.onSceneTimerId(requestNumber: file.requests.count + 1),
                kind: role == .advocate ? .advocateOnScene : .agencyOnScene, dueAt: deadline, caseId: caseId,
                requestId: requestId))
        return decision
    }
}

/// Withdraws a request nobody has reached yet. Appends `ResponseCancelled`, cancels the request's
/// pending timers (`response-cancelled`) and frees its responder on the board.
public struct CancelResponse: Command, JSONCommand {
    public static let name = "cancel-response"
    public var envelope: CommandEnvelope
    /// The case.
    public var caseId: CaseID
    /// The request.
    public var requestId: RequestID
    /// Why, as reports count it.
    public var reasonCode: ResponseCancelled.ReasonCode
    /// Free text; required with `other`.
    public var reason: String?

    /// The command.
    public init(
        caseId: CaseID, requestId: RequestID, reasonCode: ResponseCancelled.ReasonCode, reason: String? = nil,
        envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.reasonCode = reasonCode
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self), requestId: try f.id("requestId", RequestID.self),
            reasonCode: try f.value("reasonCode", ResponseCancelled.ReasonCode.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        let request = try Dispatching.request(file, requestId)
        guard request.isOpen else {
            throw CommandRejection(
                .lifecycle(.noOpenRequest), "request \(requestId) was \(request.phase.rawValue) already",
                field: "/requestId")
        }
        var decision = Decision()
        decision.append(ResponseCancelled(caseId: caseId, requestId: requestId, reasonCode: reasonCode, reason: reason))
        decision.append(contentsOf: Dispatching.cancelAll(of: request, in: file, .responseCancelled))
        decision.append(
            contentsOf: try Dispatching.release(
                request.assigned, from: request, in: file, to: .available, context: context))
        return decision
    }
}
