import EventStore

extension HandleTimerFired {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let timer = file.timer(timerId) else {
            throw CommandRejection(.unknownTimer, "case \(caseId) has no timer \(timerId)", field: "/timerId")
        }
        var decision = Decision()
        guard !file.handledTimers.contains(timerId) else { return decision }
        if file.pendingTimers[timerId] != nil {
            guard context.occurredAt >= timer.dueAt else {
                throw CommandRejection(
                    .notApplicable, "timer \(timerId) is not due until \(timer.dueAt)", field: "/occurredAt")
            }
            decision.append(
                TimerFired(
                    timerId: timerId, kind: timer.kind, dueAt: timer.dueAt, caseId: caseId,
                    requestId: timer.requestId, responderId: timer.responderId),
                id: DeterministicID.make("TimerFired \(timerId.rawValue) \(timer.dueAt.microseconds)", at: timer.dueAt))
        }
        for (index, event) in try reaction(to: timer, file, context).enumerated() {
            decision.append(
                event, id: DeterministicID.make("HandleTimerFired \(timerId.rawValue) \(index)", at: timer.dueAt))
        }
        return decision
    }

    private func reaction(to timer: CaseTimer, _ file: CaseFile, _ context: CommandContext) throws

        -> [any DomainEvent]

    {
        switch timer.kind {
        case .ackTimeout:
            guard let requestId = timer.requestId, let responderId = timer.responderId,
                let request = file.request(requestId), request.phase == .dispatched,
                request.assigned == responderId, !request.acknowledged
            else { return [] }
            let policy = try context.policy()
            let policyVersion = request.recommendation?.policyVersion ?? policy.version
            let threshold = max(1, Int((request.notifiedAt ?? timer.scheduledAt).seconds(until: timer.dueAt)))
            return [
                AckTimeoutElapsed(
                    caseId: caseId, requestId: requestId, responderId: responderId, timerId: timerId,
                    ackTimeoutSeconds: min(3_600, max(30, threshold)), policyVersion: policyVersion),
                SLABreached(
                    caseId: caseId, slaId: .acknowledge, startedAt: request.notifiedAt ?? timer.scheduledAt,
                    thresholdSeconds: threshold, requestId: requestId, responderId: responderId, timerId: timerId,
                    policyVersion: policyVersion),
            ]
                + (try Dispatching.release(responderId, from: request, in: file, to: .available, context: context))
                + (try Dispatching.escalate(
                    from: responderId, cause: .ackTimeout, request: request, in: file, context: context))
        case .advocateOnScene, .agencyOnScene:
            guard let requestId = timer.requestId, let request = file.request(requestId), request.isOpen,
                !request.onSceneBreached
            else { return [] }
            return [
                SLABreached(
                    caseId: caseId, slaId: request.onSceneServiceLevel, startedAt: request.requestedAt,
                    thresholdSeconds: max(1, Int(request.requestedAt.seconds(until: request.deadlineAt))),
                    requestId: requestId, timerId: timerId, policyVersion: request.policyVersion)
            ]
        case .health72:
            guard file.milestones.healthEvaluation == nil, let contactAt = file.contactAt else { return [] }
            return [
                SLABreached(
                    caseId: caseId, slaId: .health72, startedAt: contactAt,
                    thresholdSeconds: max(1, Int(contactAt.seconds(until: timer.dueAt))), timerId: timerId)
            ]
        case .hotlineImmediate:
            let dcfsArrived = file.requests.contains { $0.role == .dcfs && $0.arrival != nil }
            guard !dcfsArrived, let referral = file.referral else { return [] }
            return [
                SLABreached(
                    caseId: caseId, slaId: .hotlineImmediate, startedAt: referral.at,
                    thresholdSeconds: max(1, Int(referral.at.seconds(until: timer.dueAt))), timerId: timerId)
            ]
        case .protocol72:
            guard !file.state.protocolWindowClosed else { return [] }
            return try CloseProtocolWindow.events(file, context, cancellingTimer: false)
        }
    }
}
