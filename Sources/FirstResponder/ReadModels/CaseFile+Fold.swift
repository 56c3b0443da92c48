public import EventStore

extension CaseFile {
    /// Folds one event of the case's stream, decoded to the current version of its type.
    ///
    /// The lifecycle decides first; an event it refuses moves only ``version`` and ``lastPosition``.
    public mutating func apply(_ event: CatalogEvent, position: UInt64, version: UInt64, occurredAt: Timestamp) {
        self.version = version
        lastPosition = position
        guard let kind = event.caseEventKind else { return }
        guard case .success = lifecycle.apply(kind) else { return }
        applyIntake(event, at: occurredAt)
        applyDispatch(event, at: occurredAt)
        applyProtocol(event, at: occurredAt)
        applyTimer(event, at: occurredAt)
    }

    /// Folds one stored event; one that does not decode is skipped and listed in ``undecodable``.
    public mutating func apply(_ recorded: RecordedEvent) {
        do {
            let event = try CatalogEvent(recorded)
            apply(event, position: recorded.position, version: recorded.version, occurredAt: recorded.occurredAt)
        } catch {
            undecodable.append(recorded.position)
            version = recorded.version
            lastPosition = recorded.position
        }
    }

    private mutating func updateRequest(_ requestId: RequestID, _ body: (inout RequestFile) -> Void) {
        guard let i = requests.firstIndex(where: { $0.requestId == requestId }) else { return }
        body(&requests[i])
    }

    private mutating func applyIntake(_ event: CatalogEvent, at: Timestamp) {
        switch event {
        case .recoveryReported(let e):
            recovery = e
        case .recoveryCorrected(let e):
            recovery = recovery?.applying(e.corrections)
        case .youthIdentityLinked(let e):
            if !linkedYouthRefs.contains(e.sameAsYouthRef) { linkedYouthRefs.append(e.sameAsYouthRef) }
        case .hotlineReferralCreated(let e):
            if referral == nil { referral = (e, at) }
            if milestones.hotlineReferralCreated == nil { milestones.hotlineReferralCreated = at }
        default:
            break
        }
    }

    private mutating func applyDispatch(_ event: CatalogEvent, at: Timestamp) {
        switch event {
        case .responseRequested(let e):
            requests.append(
                RequestFile(
                    requestId: e.requestId, number: requests.count + 1, role: e.role, requestedAt: at,
                    deadlineAt: e.deadlineAt, policyVersion: e.policyVersion))
            if e.role != .advocate { milestones.agencyRequested = true }
        case .recommendationComputed(let e):
            updateRequest(e.requestId) { $0.recommendation = e }
        case .responderAssigned(let e):
            updateRequest(e.requestId) { r in
                r.phase = .dispatched
                r.assigned = e.responderId
                r.assignmentMode = e.mode
                r.acknowledged = false
                r.enRoute = false
                r.notificationAttempts = 0
                r.notifiedAt = nil
                r.assignedHistory.append(e.responderId)
            }
        case .notificationSent(let e):
            updateRequest(e.requestId) { r in
                r.notificationAttempts = e.attempt
                r.notifiedAt = at
            }
        case .assignmentAcknowledged(let e):
            updateRequest(e.requestId) { $0.acknowledged = true }
        case .assignmentDeclined(let e):
            updateRequest(e.requestId) { $0.tried.append((e.responderId, "declined-already")) }
        case .ackTimeoutElapsed(let e):
            handledTimers.insert(e.timerId)
            updateRequest(e.requestId) { $0.tried.append((e.responderId, "timed-out-already")) }
        case .assignmentEscalated(let e):
            updateRequest(e.requestId) { r in
                r.phase = .awaiting
                r.assigned = nil
                r.acknowledged = false
                r.enRoute = false
                r.escalationLevel = e.escalationLevel
            }
        case .responderEnRoute(let e):
            updateRequest(e.requestId) { $0.enRoute = true }
        case .responderArrived(let e):
            updateRequest(e.requestId) { r in
                r.phase = .onScene
                r.arrival = (e.responderId, at)
            }
            if e.role == .advocate {
                if milestones.advocateOnScene == nil { milestones.advocateOnScene = at }
            } else if milestones.agencyOnScene == nil {
                milestones.agencyOnScene = at
            }
        case .responderCleared(let e):
            updateRequest(e.requestId) { $0.phase = .cleared }
        case .responseCancelled(let e):
            updateRequest(e.requestId) { r in
                r.phase = .cancelled
                r.assigned = nil
            }
        case .slaBreached(let e):
            if let timerId = e.timerId { handledTimers.insert(timerId) }
            if let requestId = e.requestId, e.slaId == .advocateOnScene || e.slaId == .agencyOnScene {
                updateRequest(requestId) { $0.onSceneBreached = true }
            }
        default:
            break
        }
    }

    private mutating func applyProtocol(_ event: CatalogEvent, at: Timestamp) {
        switch event {
        case .servicesOffered(let e):
            servicesOffered.formUnion(e.services)
            if milestones.servicesOffered == nil { milestones.servicesOffered = at }
        case .medicalEvaluationCompleted:
            if milestones.healthEvaluation == nil { milestones.healthEvaluation = (at, .completed) }
        case .medicalEvaluationDeclined:
            if milestones.healthEvaluation == nil { milestones.healthEvaluation = (at, .declined) }
        case .placementDecided(let e):
            placements.append((e, at))
            milestones.placementDecided = placements.first?.at
        case .placementCorrected(let e):
            guard let last = placements.indices.last else { break }
            placements[last].decision = placements[last].decision.applying(e.corrections)
        case .placementVoided:
            _ = placements.popLast()
            milestones.placementDecided = placements.first?.at
        case .mdtMeetingHeld:
            if milestones.mdtMeetingHeld == nil { milestones.mdtMeetingHeld = at }
        case .youthWentMissing:
            milestones.wentMissing.append(at)
        case .protocolWindowClosed:
            for timer in Array(pendingTimers.values) + Array(firedTimers.values) where timer.kind == .protocol72 {
                handledTimers.insert(timer.timerId)
            }
        default:
            break
        }
    }

    private mutating func applyTimer(_ event: CatalogEvent, at: Timestamp) {
        switch event {
        case .timerScheduled(let e):
            pendingTimers[e.timerId] = CaseTimer(
                timerId: e.timerId, kind: e.kind, dueAt: e.dueAt, requestId: e.requestId, responderId: e.responderId,
                scheduledAt: at)
            scheduledTimerIds.insert(e.timerId)
            if e.kind == .ackTimeout, let requestId = e.requestId {
                updateRequest(requestId) { r in
                    r.ackTimerId = e.timerId
                    r.ackTimersScheduled += 1
                }
            }
        case .timerCancelled(let e):
            pendingTimers[e.timerId] = nil
            clearAckTimer(e.timerId)
        case .timerFired(let e):
            firedTimers[e.timerId] =
                pendingTimers[e.timerId]
                ?? CaseTimer(
                    timerId: e.timerId, kind: e.kind, dueAt: e.dueAt, requestId: e.requestId,
                    responderId: e.responderId, scheduledAt: at)
            pendingTimers[e.timerId] = nil
            clearAckTimer(e.timerId)
        default:
            break
        }
    }

    private mutating func clearAckTimer(_ timerId: TimerID) {
        for i in requests.indices where requests[i].ackTimerId == timerId { requests[i].ackTimerId = nil }
    }
}
