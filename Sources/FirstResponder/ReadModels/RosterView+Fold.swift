public import EventStore

extension RosterView {
    /// Whether the board folds events of type `kind`: every case event (the case lifecycle decides
    /// whether one counts, and the board reads the youth, the assignments and the arrivals), the
    /// responders and the roster. The others are skipped undecoded, and change neither the board nor
    /// its version. A switch over every type, so a new type is decided here.
    public static func folds(_ kind: CatalogEvent.Kind) -> Bool {
        switch kind {
        case .recoveryReported, .youthIdentityLinked, .hotlineReferralCreated, .caseDeemedOutOfScope,
            .responseRequested, .recommendationComputed, .responderAssigned, .notificationSent,
            .assignmentAcknowledged, .assignmentDeclined, .ackTimeoutElapsed, .assignmentEscalated,
            .responderEnRoute, .responderArrived, .responderCleared, .responseCancelled, .slaBreached,
            .servicesOffered, .servicesAccepted, .servicesDeclined, .medicalEvaluationCompleted,
            .medicalEvaluationDeclined, .placementDecided, .mdtMeetingHeld, .youthWentMissing, .youthReturned,
            .protocolWindowClosed, .caseClosed, .caseReopened, .recordSealed, .timerScheduled, .timerCancelled,
            .timerFired, .recoveryCorrected, .recoveryVoided, .placementCorrected, .placementVoided:
            true
        case .responderRegistered, .responderDeactivated, .responderStatusChanged, .shiftScheduled, .shiftSwapped,
            .timeOffRecorded:
            true
        case .accessRecorded, .operationStarted, .operationEnded, .arrestRecorded, .arrestCorrected, .arrestVoided,
            .trainingSessionHeld, .parentProgramCohortStarted, .parentProgramCohortCompleted, .policyChanged,
            .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed,
            .courseRetired, .trainingSessionCorrected, .trainingSessionVoided, .parentProgramCohortCorrected,
            .parentProgramCohortVoided, .operationCorrected, .operationVoided, .checkpointSigned,
            .legalHoldPlaced, .legalHoldReleased:
            false
        }
    }

    /// Whether the board folds `event` (``folds(_:)-swift.type.method`` of its type).
    public static func folds(_ event: CatalogEvent) -> Bool { folds(event.kind) }

    /// Folds the event at the next position.
    ///
    /// Case events go through the case lifecycle as ``CaseFile`` folds them: an event the lifecycle
    /// refuses, or one that does not decode, changes neither the case nor the board, so the board
    /// and the case files never tell different stories.
    public mutating func apply(_ view: EventView) {
        position = view.position
        // A type not in the catalog is not the board's, like one it does not fold.
        guard let kind = CatalogEvent.kind(of: view), Self.folds(kind) else { return }
        let event: CatalogEvent
        do {
            event = try CatalogEvent(view, kind: kind)
        } catch {
            undecodable.append(view.position)
            return
        }
        apply(event, stream: view.stream, version: view.version, occurredAt: view.occurredAt)
    }

    /// Folds one decoded event of `stream` at stream version `version`.
    public mutating func apply(_ event: CatalogEvent, stream: String, version: UInt64, occurredAt: Timestamp) {
        if stream == Self.rosterStream { rosterVersion = version }
        if let kind = event.caseEventKind, stream.hasPrefix("case-") {
            switch CaseLifecycle.apply(caseStates[stream] ?? .notReported, kind) {
            case .success(let next): caseStates[stream] = next
            case .failure: return
            }
        }
        applyResponder(event, version: version)
        applyRoster(event)
        applyCase(event, at: occurredAt)
    }

    private mutating func applyResponder(_ event: CatalogEvent, version: UInt64) {
        switch event {
        case .responderRegistered(let e):
            if var entry = responders[e.responderId] {
                entry.registration = e
                entry.deactivated = false
                entry.status = .available
                entry.activeCase = nil
                entry.activeRequest = nil
                entry.streamVersion = version
                responders[e.responderId] = entry
            } else {
                var entry = Entry(registration: e)
                entry.streamVersion = version
                responders[e.responderId] = entry
                registrationOrder.append(e.responderId)
            }
        case .responderDeactivated(let e):
            responders[e.responderId]?.deactivated = true
            responders[e.responderId]?.streamVersion = version
        case .responderStatusChanged(let e):
            guard var entry = responders[e.responderId] else { return }
            entry.status = e.status
            let committed = [.assigned, .enRoute, .onScene].contains(e.status)
            entry.activeCase = committed ? e.caseId : nil
            entry.activeRequest = committed ? e.requestId : nil
            entry.streamVersion = version
            responders[e.responderId] = entry
        default:
            break
        }
    }

    private mutating func applyRoster(_ event: CatalogEvent) {
        switch event {
        case .shiftScheduled(let e):
            let sequence: Int
            if let old = shifts[e.shiftId] {
                shiftIndex.remove(e.shiftId, start: old.startsAt)
                sequence = old.sequence
            } else {
                shiftOrder.append(e.shiftId)
                sequence = nextShiftSequence
                nextShiftSequence += 1
            }
            shifts[e.shiftId] = Shift(
                shiftId: e.shiftId, responderId: e.responderId, startsAt: e.startsAt, endsAt: e.endsAt,
                onCall: e.onCall, areas: e.areas, sequence: sequence)
            shiftIndex.insert(e.shiftId, start: e.startsAt, end: e.endsAt)
        case .shiftSwapped(let e):
            shifts[e.shiftId]?.responderId = e.toResponderId
        case .timeOffRecorded(let e):
            timeOffIndex.insert(timeOff.count, start: e.startsAt, end: e.endsAt)
            timeOff.append(e)
        default:
            break
        }
    }

    private mutating func applyCase(_ event: CatalogEvent, at: Timestamp) {
        switch event {
        case .recoveryReported(let e):
            caseYouth[e.caseId] = e.youthRef
        case .youthIdentityLinked(let e):
            link(e.youthRef, e.sameAsYouthRef)
        case .responderAssigned(let e):
            openAssignments[AssignmentKey(caseId: e.caseId, requestId: e.requestId)] = e.responderId
            responders[e.responderId]?.lastAssignedAt = at
        case .assignmentEscalated(let e):
            openAssignments[AssignmentKey(caseId: e.caseId, requestId: e.requestId)] = nil
        case .responderArrived(let e):
            if let youth = caseYouth[e.caseId] { responders[e.responderId]?.youthServed.insert(youth) }
        case .responderCleared(let e):
            openAssignments[AssignmentKey(caseId: e.caseId, requestId: e.requestId)] = nil
        case .responseCancelled(let e):
            openAssignments[AssignmentKey(caseId: e.caseId, requestId: e.requestId)] = nil
        default:
            break
        }
    }

    // MARK: - Linked youth references

    /// The representative of `ref`'s group of linked references.
    func root(_ ref: YouthRef) -> YouthRef {
        var current = ref
        while let parent = youthParent[current], parent != current { current = parent }
        return current
    }

    private mutating func link(_ a: YouthRef, _ b: YouthRef) {
        let ra = root(a)
        let rb = root(b)
        guard ra != rb else { return }
        // The smaller reference represents the group, so the fold is independent of link order.
        let (kept, joined) = ra < rb ? (ra, rb) : (rb, ra)
        youthParent[joined] = kept
        let members = youthGroups.removeValue(forKey: joined) ?? []
        youthGroups[kept, default: []].append(joined)
        youthGroups[kept]?.append(contentsOf: members)
    }
}
