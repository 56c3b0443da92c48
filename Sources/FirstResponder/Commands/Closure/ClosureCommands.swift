import EventStore

/// The closure commands, for ``CommandJSON``.
enum ClosureCommands {
    /// The events that wind a case down before it closes (``CaseLifecycle``: nothing but a reopening
    /// or a sealing follows a closure): each open request cancelled, each responder on scene cleared,
    /// each freed responder's board status, and every pending timer cancelled.
    static func windDown(
        _ file: CaseFile, requests: ResponseCancelled.ReasonCode, timers: TimerCancelled.ReasonCode,
        _ context: CommandContext
    ) throws -> [any DomainEvent] {
        var events: [any DomainEvent] = []
        for request in file.requests {
            if request.isOpen {
                events.append(
                    ResponseCancelled(caseId: file.caseId, requestId: request.requestId, reasonCode: requests))
                events += try Dispatching.release(
                    request.assigned, from: request, in: file, to: .available, context: context)
            } else if request.phase == .onScene, let arrival = request.arrival {
                events.append(
                    ResponderCleared(
                        caseId: file.caseId, requestId: request.requestId, responderId: arrival.responderId))
                events += try Dispatching.release(
                    arrival.responderId, from: request, in: file, to: .cleared, context: context)
            }
        }
        for timer in file.pendingTimersInOrder {
            events.append(TimerCancelled(timerId: timer.timerId, caseId: file.caseId, reasonCode: timers))
        }
        return events
    }
}

extension CloseCase {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        if file.state.phase.isOpen {
            decision.append(
                contentsOf: try ClosureCommands.windDown(file, requests: .notNeeded, timers: .caseClosed, context))
        }
        decision.append(CaseClosed(caseId: caseId, outcome: outcome, reason: reason))
        return decision
    }
}

extension DeemOutOfScope {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        if file.state.phase.isOpen {
            decision.append(
                contentsOf: try ClosureCommands.windDown(
                    file, requests: .caseOutOfScope, timers: .caseOutOfScope, context))
        }
        decision.append(
            CaseDeemedOutOfScope(
                caseId: caseId, reasonCode: reasonCode, reason: reason, duplicateOfCaseId: duplicateOfCaseId))
        return decision
    }
}

extension ReopenCase {
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(CaseReopened(caseId: caseId, reasonCode: reasonCode, reason: reason))
        return decision
    }
}
