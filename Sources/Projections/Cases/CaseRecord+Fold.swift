import EventStore
public import FirstResponder

extension CaseRecord {
    /// The record a `RecoveryReported` opens, with the thresholds of `policy`.
    public init(_ e: RecoveryReported, _ envelope: EventEnvelope, policy: PolicyView) {
        caseId = e.caseId.rawValue
        youthRef = e.youthRef.rawValue
        agency = ""
        station = ""
        area = ""
        context = ""
        contactAt = e.contactAt.microseconds
        language = e.language
        awol = e.awol ?? false
        reportedAt = envelope.occurredAt.microseconds
        reportedRecordedAt = envelope.recordedAt.microseconds
        lifecycle = (try? CaseLifecycle.apply(.notReported, .recoveryReported).get()) ?? .notReported
        thresholds = Thresholds(policy)
        lastPosition = envelope.position
        lastEventAt = envelope.occurredAt.microseconds
        counted(e)
    }

    /// The lifecycle's step for a later event of the case, of type `kind`: taken (and the record's
    /// last position and time moved to the event's), or refused and counted in ``refusedEvents``.
    /// Returns whether it was taken. All an event whose payload the record does not keep changes
    /// (``CasesProjection/foldsWithoutPayload(_:)``).
    public mutating func advance(_ kind: CaseEventKind, _ envelope: EventEnvelope) -> Bool {
        switch CaseLifecycle.apply(lifecycle, kind) {
        case .success(let next): lifecycle = next
        case .failure:
            refusedEvents += 1
            return false
        }
        lastPosition = envelope.position
        lastEventAt = envelope.occurredAt.microseconds
        return true
    }

    /// Takes the counted fields of `e` (as reported, or as corrected).
    private mutating func counted(_ e: RecoveryReported) {
        agency = e.agency.rawValue
        agencyName = e.agencyName
        station = e.station
        area = e.area.rawValue
        context = e.context.rawValue
        operationId = e.operationId?.rawValue
        ageAtContact = e.ageAtContact
    }

    /// The recovery as the record holds it now: the fields ``RecoveryReported/applying(_:)`` corrects.
    private var countedRecovery: RecoveryReported? {
        guard let agency = Agency(rawValue: agency), let area = Area(rawValue: area),
            let context = RecoveryReported.Context(rawValue: context), let caseId = CaseID(rawValue: caseId),
            let youthRef = YouthRef(rawValue: youthRef)
        else { return nil }
        return RecoveryReported(
            caseId: caseId, youthRef: youthRef, agency: agency, agencyName: agencyName, station: station, area: area,
            contactAt: Timestamp(microseconds: contactAt), context: context,
            operationId: operationId.flatMap(OperationID.init(rawValue:)), ageAtContact: ageAtContact)
    }

    /// Folds one later event of the case's stream. The lifecycle decides first: an event it
    /// refuses is counted in ``refusedEvents`` and changes nothing else, as in the command layer's
    /// case file, so the views and the commands never tell different stories.
    public mutating func apply(_ event: CatalogEvent, _ envelope: EventEnvelope, policy: PolicyView) {
        guard let kind = event.caseEventKind, advance(kind, envelope) else { return }
        let at = envelope.occurredAt.microseconds
        let recordedAt = envelope.recordedAt.microseconds
        switch event {
        case .youthIdentityLinked(let e):
            if !linkedYouthRefs.contains(e.sameAsYouthRef.rawValue) {
                linkedYouthRefs.append(e.sameAsYouthRef.rawValue)
            }
        case .hotlineReferralCreated(let e):
            if referral == nil {
                referral = Referral(
                    number: e.referralNumber.rawValue, category: e.responseCategory.rawValue, at: at,
                    recordedAt: recordedAt, thresholdSeconds: policy.threshold(.hotlineImmediate))
            }
            if milestones.hotlineReferralCreated == nil { milestones.hotlineReferralCreated = at }
        case .caseDeemedOutOfScope(let e):
            outOfScope = Closure(at: at, code: e.reasonCode.rawValue)
        case .responseRequested(let e):
            requests.append(
                Request(
                    requestId: e.requestId.rawValue, role: e.role.rawValue, requestedAt: at,
                    requestedRecordedAt: recordedAt, deadlineAt: e.deadlineAt.microseconds,
                    policyVersion: e.policyVersion))
            if e.role != .advocate { milestones.agencyRequested = true }
        case .responderAssigned(let e):
            request(e.requestId) { r in
                r.phase = "dispatched"
                r.assignments.append(
                    Assignment(
                        responderId: e.responderId.rawValue, mode: e.mode.rawValue, overrideReason: e.overrideReason,
                        assignedAt: at))
            }
        case .notificationSent(let e):
            assignment(e.requestId, e.responderId) { a in
                a.notifications += 1
                if a.notifiedAt == nil {
                    a.notifiedAt = at
                    a.notifiedRecordedAt = recordedAt
                    a.ackThresholdSeconds =
                        e.ackDueAt.map { Int(($0.microseconds - at) / 1_000_000) } ?? policy.threshold(.acknowledge)
                }
            }
        case .assignmentAcknowledged(let e):
            assignment(e.requestId, e.responderId) { a in
                if a.acknowledgedAt == nil {
                    a.acknowledgedAt = at
                    a.acknowledgedRecordedAt = recordedAt
                }
                if let eta = e.etaMinutes { a.etaMinutes = eta }
            }
        case .assignmentDeclined(let e):
            assignment(e.requestId, e.responderId) { $0.declinedAt = at }
        case .ackTimeoutElapsed(let e):
            assignment(e.requestId, e.responderId) { $0.timedOutAt = at }
        case .assignmentEscalated(let e):
            request(e.requestId) { r in
                r.phase = "awaiting"
                r.escalationLevel = e.escalationLevel
                if let i = r.assignments.lastIndex(where: { $0.responderId == e.fromResponderId.rawValue }) {
                    r.assignments[i].escalatedAt = at
                }
            }
        case .responderEnRoute(let e):
            assignment(e.requestId, e.responderId) { a in
                a.enRouteAt = a.enRouteAt ?? at
                if let eta = e.etaMinutes { a.etaMinutes = eta }
            }
        case .responderArrived(let e):
            request(e.requestId) { r in
                r.phase = "on-scene"
                if r.arrivedAt == nil {
                    r.arrivedAt = at
                    r.arrivedRecordedAt = recordedAt
                    r.arrivedBy = e.responderId.rawValue
                }
            }
            if e.role == .advocate {
                milestones.advocateOnScene = milestones.advocateOnScene ?? at
            } else {
                milestones.agencyOnScene = milestones.agencyOnScene ?? at
            }
        case .responderCleared(let e):
            request(e.requestId) { r in
                r.phase = "cleared"
                r.clearedAt = at
            }
        case .responseCancelled(let e):
            request(e.requestId) { r in
                r.phase = "cancelled"
                r.cancelled = Closure(at: at, code: e.reasonCode.rawValue)
            }
        case .slaBreached(let e):
            if let requestId = e.requestId, e.slaId == .advocateOnScene || e.slaId == .agencyOnScene {
                request(requestId) { $0.breachRecorded = true }
            }
        case .servicesOffered(let e):
            milestones.servicesOffered = milestones.servicesOffered ?? at
            milestones.services = Self.union(milestones.services, e.services.map(\.rawValue))
        case .servicesAccepted(let e):
            milestones.servicesAccepted = Self.union(milestones.servicesAccepted, e.services.map(\.rawValue))
            answerServices("accepted", at)
        case .servicesDeclined:
            answerServices("declined", at)
        case .medicalEvaluationCompleted:
            health("completed", at, recordedAt)
        case .medicalEvaluationDeclined:
            health("declined", at, recordedAt)
        case .placementDecided(let e):
            placements.append(Placement(at: at, kind: e.kind.rawValue))
            placementsChanged()
        case .placementCorrected(let e):
            if !placements.isEmpty { placements[placements.count - 1].kind = e.corrections.kind.rawValue }
            placementsChanged()
        case .placementVoided:
            _ = placements.popLast()
            placementsChanged()
        case .recoveryCorrected(let e):
            if let corrected = countedRecovery?.applying(e.corrections) { counted(corrected) }
            corrections += 1
        case .recoveryVoided:
            // The cases projection drops a voided case from every table: nothing to keep.
            break
        case .mdtMeetingHeld:
            milestones.mdtMeetingAt = milestones.mdtMeetingAt ?? at
        case .youthWentMissing:
            milestones.wentMissing.append(at)
        case .youthReturned:
            milestones.returned.append(at)
        case .protocolWindowClosed(let e):
            let m = e.milestones
            milestones.window = Window(
                closedAt: at, recordedAt: recordedAt, hotlineReferralCreated: m.hotlineReferralCreated,
                advocateOnScene: m.advocateOnScene, agencyOnScene: m.agencyOnScene, servicesOffered: m.servicesOffered,
                healthEvaluation: m.healthEvaluation.rawValue, placementDecided: m.placementDecided,
                mdtMeetingHeld: m.mdtMeetingHeld, wentMissingInWindow: e.wentMissingInWindow)
        case .caseClosed(let e):
            closed = Closure(at: at, code: e.outcome.rawValue)
        case .caseReopened:
            reopenings += 1
        case .recordSealed(let e):
            if sealed == nil { sealed = Sealing(at: at, scope: e.scope.rawValue, legalBasis: e.legalBasis.rawValue) }
        case .timerScheduled(let e):
            timers.removeAll { $0.timerId == e.timerId.rawValue }
            timers.append(
                PendingTimer(
                    timerId: e.timerId.rawValue, kind: e.kind.rawValue, dueAt: e.dueAt.microseconds,
                    requestId: e.requestId?.rawValue))
            timers.sort { $0.timerId < $1.timerId }
        case .timerCancelled(let e):
            timers.removeAll { $0.timerId == e.timerId.rawValue }
        case .timerFired(let e):
            timers.removeAll { $0.timerId == e.timerId.rawValue }
        // Not case events (CaseEventKind returned nil above), or case events with nothing to keep.
        case .recoveryReported, .recommendationComputed, .operationStarted, .operationEnded,
            .arrestRecorded, .arrestCorrected, .arrestVoided, .trainingSessionHeld, .parentProgramCohortStarted,
            .parentProgramCohortCompleted, .responderRegistered, .responderDeactivated, .shiftScheduled, .shiftSwapped,
            .timeOffRecorded, .responderStatusChanged, .policyChanged, .accessRecorded, .checkpointSigned,
            .legalHoldPlaced, .legalHoldReleased,
            .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed, .courseRetired,
            .trainingSessionCorrected, .trainingSessionVoided, .parentProgramCohortCorrected,
            .parentProgramCohortVoided, .operationCorrected, .operationVoided:
            break
        }
    }

    /// Keeps the placement milestone the first decision standing, as corrected; a window recorded
    /// before a void or correction follows it (the recorded flag says what was known then).
    private mutating func placementsChanged() {
        milestones.placementAt = placements.first?.at
        milestones.placementKind = placements.first?.kind
        if milestones.window != nil {
            let end = windowEnd.microseconds
            milestones.window?.placementDecided = placements.first.map { $0.at <= end } ?? false
        }
    }

    private mutating func request(_ requestId: RequestID, _ body: (inout Request) -> Void) {
        guard let i = requests.firstIndex(where: { $0.requestId == requestId.rawValue }) else { return }
        body(&requests[i])
    }

    /// The latest assignment of `responderId` on `requestId`.
    private mutating func assignment(
        _ requestId: RequestID, _ responderId: ResponderID, _ body: (inout Assignment) -> Void
    ) {
        request(requestId) { r in
            guard let i = r.assignments.lastIndex(where: { $0.responderId == responderId.rawValue }) else { return }
            body(&r.assignments[i])
        }
    }

    private mutating func answerServices(_ answer: String, _ at: Int64) {
        guard milestones.servicesAnswerAt == nil else { return }
        milestones.servicesAnswer = answer
        milestones.servicesAnswerAt = at
    }

    private mutating func health(_ outcome: String, _ at: Int64, _ recordedAt: Int64) {
        guard milestones.healthEvaluationAt == nil else { return }
        milestones.healthEvaluationAt = at
        milestones.healthEvaluationRecordedAt = recordedAt
        milestones.healthEvaluation = outcome
    }

    private static func union(_ a: [String], _ b: [String]) -> [String] { Array(Set(a).union(b)).sorted() }
}
