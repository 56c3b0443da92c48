import EventStore

extension EnRoute {
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

extension Arrive {
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

extension Clear {
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
