import EventStore

extension RequestResponse {
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

extension CancelResponse {
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
