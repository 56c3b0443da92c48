import EventStore

extension AssignByPolicy {
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
        let snapshot = roster.snapshot(at: input.at, youth: input.youthRef)
        let recommendation = policy.policy.recommend(input, roster: snapshot, weights: policy.weights)
        var decision = Decision()
        decision.append(
            Dispatching.recorded(
                recommendation, caseId: caseId, requestId: requestId, decidedAtPosition: position,
                rosterVersion: roster.rosterVersion, policyRevision: policy.revision))
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

extension AssignManually {
    func decide(_ context: CommandContext) throws -> Decision {
        let reason = overrideReason
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
