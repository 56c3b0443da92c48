import EventStore

/// The steps the dispatch commands share: finding the request, checking who is on it, assigning and
/// notifying (with the acknowledgement timer and the board status), releasing a responder, and
/// cancelling timers.
enum Dispatching {
    /// The request `id` of `file`, or ``CommandRejection/Code/unknownRequest``.
    static func request(_ file: CaseFile, _ id: RequestID, field: String = "/requestId") throws -> RequestFile {
        guard let request = file.request(id) else {
            throw CommandRejection(.unknownRequest, "case \(file.caseId) has no request \(id)", field: field)
        }
        return request
    }

    /// Checks that `responderId` is the responder on `request` (dispatched, not arrived).
    static func requireDispatched(_ request: RequestFile, _ responderId: ResponderID, arriving: Bool = false) throws {
        guard let assigned = request.assigned, request.phase == .dispatched else {
            if arriving && request.isOpen {
                throw CommandRejection(
                    .arrivalBeforeDispatch, "request \(request.requestId) has no responder assigned to arrive",
                    field: "/requestId")
            }
            throw CommandRejection(
                .notAssigned,
                "request \(request.requestId) has no responder dispatched (it is \(request.phase.rawValue))",
                field: "/requestId")
        }
        guard assigned == responderId else {
            throw CommandRejection(
                .notAssigned, "\(responderId) is not the responder on request \(request.requestId)",
                field: "/responderId")
        }
    }

    /// The events that put `responder` on `request` and notify them: `ResponderAssigned`,
    /// `NotificationSent` (attempt 1), `TimerScheduled` (ack-timeout) and `ResponderStatusChanged`.
    static func assign(
        _ responder: RosterView.Entry, to request: RequestFile, in file: CaseFile, mode: ResponderAssigned.Mode,
        rank: Int? = nil, policyVersion: Int?, overrideReason: String? = nil, channel: NotificationSent.Channel,
        policy: PolicyView, at instant: Timestamp
    ) -> [any DomainEvent] {
        let assigned = ResponderAssigned(
            caseId: file.caseId, requestId: request.requestId, responderId: responder.id, mode: mode,
            candidateRank: rank, policyVersion: policyVersion, overrideReason: overrideReason)
        return [assigned]
            + notify(responder.id, on: request, in: file, attempt: 1, channel: channel, policy: policy, at: instant)
            + [statusChange(responder, to: .assigned, caseId: file.caseId, requestId: request.requestId)]
    }

    /// `NotificationSent` and its acknowledgement timer, due after the policy's ack timeout.
    static func notify(
        _ responderId: ResponderID, on request: RequestFile, in file: CaseFile, attempt: Int,
        channel: NotificationSent.Channel, policy: PolicyView, at instant: Timestamp
    ) -> [any DomainEvent] {
        let due = instant.adding(seconds: Int64(policy.ackTimeoutSeconds))
        return [
            NotificationSent(
                caseId: file.caseId, requestId: request.requestId, responderId: responderId, channel: channel,
                attempt: attempt, ackDueAt: due),
            TimerScheduled(
                timerId: file.nextAckTimerId(for: request), kind: .ackTimeout, dueAt: due, caseId: file.caseId,
                requestId: request.requestId, responderId: responderId),
        ]
    }

    /// The board status of `responder` changing to `status`.
    static func statusChange(
        _ responder: RosterView.Entry, to status: ResponderStatus, caseId: CaseID? = nil, requestId: RequestID? = nil
    ) -> ResponderStatusChanged {
        ResponderStatusChanged(
            responderId: responder.id, status: status, previousStatus: responder.status, caseId: caseId,
            requestId: requestId)
    }

    /// The status change that frees `responderId` from `request`, when the board still has them
    /// committed to it (a responder who changed status since is left alone).
    static func release(
        _ responderId: ResponderID?, from request: RequestFile, in file: CaseFile, to status: ResponderStatus,
        context: CommandContext
    ) throws -> [any DomainEvent] {
        guard let responderId, let entry = try context.roster().responder(responderId),
            entry.isCommitted, entry.activeCase == file.caseId, entry.activeRequest == request.requestId
        else { return [] }
        _ = try context.responder(responderId, field: "/responderId")
        return [statusChange(entry, to: status)]
    }

    /// `TimerCancelled` for the pending timer `timerId`, if it is pending.
    static func cancel(_ timerId: TimerID?, in file: CaseFile, _ reason: TimerCancelled.ReasonCode) -> [any DomainEvent]
    {
        guard let timerId, file.pendingTimers[timerId] != nil else { return [] }
        return [TimerCancelled(timerId: timerId, caseId: file.caseId, reasonCode: reason)]
    }

    /// `TimerCancelled` for every pending timer of `request`, in id order.
    static func cancelAll(of request: RequestFile, in file: CaseFile, _ reason: TimerCancelled.ReasonCode)
        -> [any DomainEvent]
    {
        file.pendingTimersInOrder.filter { $0.requestId == request.requestId }.map {
            TimerCancelled(timerId: $0.timerId, caseId: file.caseId, reasonCode: reason)
        }
    }

    /// The pending on-scene timer of `request`, if any.
    static func onSceneTimer(_ request: RequestFile, in file: CaseFile) -> CaseTimer? {
        file.pendingTimers[file.onSceneTimerId(requestNumber: request.number)]
    }

    /// An implicit `AssignmentAcknowledged` (and the ack timer's cancellation) for a responder who goes
    /// en route or arrives without having acknowledged.
    static func acknowledgeIfNeeded(_ request: RequestFile, in file: CaseFile) -> [any DomainEvent] {
        guard !request.acknowledged, let responderId = request.assigned else { return [] }
        return [AssignmentAcknowledged(caseId: file.caseId, requestId: request.requestId, responderId: responderId)]
            + cancel(request.ackTimerId, in: file, .acknowledged)
    }
}
