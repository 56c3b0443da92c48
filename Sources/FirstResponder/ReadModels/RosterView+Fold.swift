public import EventStore

extension RosterView {
    /// The event types the board folds; the others are skipped undecoded.
    static let foldedTypes: Set<String> = [
        "ResponderRegistered", "ResponderDeactivated", "ResponderStatusChanged", "ShiftScheduled", "ShiftSwapped",
        "TimeOffRecorded", "RecoveryReported", "YouthIdentityLinked", "ResponderAssigned", "AssignmentEscalated",
        "ResponderArrived", "ResponderCleared", "ResponseCancelled",
    ]

    /// Whether the board folds events of `type` (case events, responders, the roster); it skips
    /// the others, which change neither the board nor its version.
    public static func folds(_ type: String) -> Bool {
        CaseEventKind(eventType: type) != nil || foldedTypes.contains(type)
    }

    /// Whether the board folds `event` (``folds(_:)-swift.type.method`` of its type).
    public static func folds(_ event: CatalogEvent) -> Bool { folds(event.eventType) }

    /// Folds the event at the next position.
    ///
    /// Case events go through the case lifecycle as ``CaseFile`` folds them: an event the lifecycle
    /// refuses, or one that does not decode, changes neither the case nor the board, so the board
    /// and the case files never tell different stories.
    public mutating func apply(_ view: EventView) {
        position = view.position
        let type = view.type
        guard Self.folds(type) else { return }
        let event: CatalogEvent
        do {
            event = try CatalogEvent(
                type: type, schemaVersion: view.schemaVersion, payload: view.payloadBytes,
                encoding: view.payloadEncoding)
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
