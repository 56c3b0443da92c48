public import EventStore

extension CaseFile {
    /// Folds one event of the case's stream, decoded to the current version of its type.
    ///
    /// The lifecycle decides first; an event it refuses moves only ``version`` and ``lastPosition``.
    public mutating func apply(_ event: any DomainEvent, position: UInt64, version: UInt64, occurredAt: Timestamp) {
        self.version = version
        lastPosition = position
        guard let kind = CaseEventKind(eventType: event.eventType) else { return }
        guard case .success = lifecycle.apply(kind) else { return }
        applyIntake(event, at: occurredAt)
        applyDispatch(event, at: occurredAt)
        applyProtocol(event, at: occurredAt)
        applyTimer(event, at: occurredAt)
    }

    /// Folds one stored event; one that does not decode is skipped and listed in ``undecodable``.
    public mutating func apply(_ recorded: RecordedEvent) {
        do {
            let event = try EventCatalog.decode(recorded)
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

    private mutating func applyIntake(_ event: any DomainEvent, at: Timestamp) {
        switch event {
        case let e as RecoveryReported:
            recovery = e
        case let e as RecoveryCorrected:
            recovery = recovery?.applying(e.corrections)
        case let e as YouthIdentityLinked:
            if !linkedYouthRefs.contains(e.sameAsYouthRef) { linkedYouthRefs.append(e.sameAsYouthRef) }
        case let e as HotlineReferralCreated:
            if referral == nil { referral = (e, at) }
            if milestones.hotlineReferralCreated == nil { milestones.hotlineReferralCreated = at }
        default:
            break
        }
    }

    private mutating func applyDispatch(_ event: any DomainEvent, at: Timestamp) {
        switch event {
        case let e as ResponseRequested:
            requests.append(
                RequestFile(
                    requestId: e.requestId, number: requests.count + 1, role: e.role, requestedAt: at,
                    deadlineAt: e.deadlineAt, policyVersion: e.policyVersion))
            if e.role != .advocate { milestones.agencyRequested = true }
        case let e as RecommendationComputed:
            updateRequest(e.requestId) { $0.recommendation = e }
        case let e as ResponderAssigned:
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
        case let e as NotificationSent:
            updateRequest(e.requestId) { r in
                r.notificationAttempts = e.attempt
                r.notifiedAt = at
            }
        case let e as AssignmentAcknowledged:
            updateRequest(e.requestId) { $0.acknowledged = true }
        case let e as AssignmentDeclined:
            updateRequest(e.requestId) { $0.tried.append((e.responderId, "declined-already")) }
        case let e as AckTimeoutElapsed:
            handledTimers.insert(e.timerId)
            updateRequest(e.requestId) { $0.tried.append((e.responderId, "timed-out-already")) }
        case let e as AssignmentEscalated:
            updateRequest(e.requestId) { r in
                r.phase = .awaiting
                r.assigned = nil
                r.acknowledged = false
                r.enRoute = false
                r.escalationLevel = e.escalationLevel
            }
        case let e as ResponderEnRoute:
            updateRequest(e.requestId) { $0.enRoute = true }
        case let e as ResponderArrived:
            updateRequest(e.requestId) { r in
                r.phase = .onScene
                r.arrival = (e.responderId, at)
            }
            if e.role == .advocate {
                if milestones.advocateOnScene == nil { milestones.advocateOnScene = at }
            } else if milestones.agencyOnScene == nil {
                milestones.agencyOnScene = at
            }
        case let e as ResponderCleared:
            updateRequest(e.requestId) { $0.phase = .cleared }
        case let e as ResponseCancelled:
            updateRequest(e.requestId) { r in
                r.phase = .cancelled
                r.assigned = nil
            }
        case let e as SLABreached:
            if let timerId = e.timerId { handledTimers.insert(timerId) }
            if let requestId = e.requestId, e.slaId == .advocateOnScene || e.slaId == .agencyOnScene {
                updateRequest(requestId) { $0.onSceneBreached = true }
            }
        default:
            break
        }
    }

    private mutating func applyProtocol(_ event: any DomainEvent, at: Timestamp) {
        switch event {
        case let e as ServicesOffered:
            servicesOffered.formUnion(e.services)
            if milestones.servicesOffered == nil { milestones.servicesOffered = at }
        case is MedicalEvaluationCompleted:
            if milestones.healthEvaluation == nil { milestones.healthEvaluation = (at, .completed) }
        case is MedicalEvaluationDeclined:
            if milestones.healthEvaluation == nil { milestones.healthEvaluation = (at, .declined) }
        case let e as PlacementDecided:
            placements.append((e, at))
            milestones.placementDecided = placements.first?.at
        case let e as PlacementCorrected:
            guard let last = placements.indices.last else { break }
            placements[last].decision = placements[last].decision.applying(e.corrections)
        case is PlacementVoided:
            _ = placements.popLast()
            milestones.placementDecided = placements.first?.at
        case is MDTMeetingHeld:
            if milestones.mdtMeetingHeld == nil { milestones.mdtMeetingHeld = at }
        case is YouthWentMissing:
            milestones.wentMissing.append(at)
        case is ProtocolWindowClosed:
            for timer in Array(pendingTimers.values) + Array(firedTimers.values) where timer.kind == .protocol72 {
                handledTimers.insert(timer.timerId)
            }
        default:
            break
        }
    }

    private mutating func applyTimer(_ event: any DomainEvent, at: Timestamp) {
        switch event {
        case let e as TimerScheduled:
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
        case let e as TimerCancelled:
            pendingTimers[e.timerId] = nil
            clearAckTimer(e.timerId)
        case let e as TimerFired:
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
