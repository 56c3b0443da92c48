import EventStore

extension Notify {
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

extension Acknowledge {
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

extension Decline {
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
