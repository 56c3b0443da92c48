import EventStore

extension CaseFile: Aggregate {
    init?(stream: String) {
        guard stream.hasPrefix("case-"), let id = CaseID(rawValue: String(stream.dropFirst(5))) else { return nil }
        self.init(caseId: id)
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        apply(event, position: facts.position, version: facts.version, occurredAt: facts.occurredAt)
    }

    /// Checks an event of this case's stream against the case and the log — the lifecycle, what the
    /// ids it names refer to, and the order of its times — then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        guard let kind = CaseEventKind(eventType: event.eventType) else { return }
        if case .failure(let violation) = CaseLifecycle.apply(state, kind) { throw RuleViolation(violation) }
        if kind != .recoveryReported, let contactAt {
            try TimeRules.notBefore(
                facts.occurredAt, contactAt, .beforeContact, "the contact with the youth of case \(caseId)")
        }
        try checkIntake(event, facts, log)
        try checkDispatch(event, facts, log)
        try checkProtocol(event, facts, log)
        try checkTimers(event)
        fold(event, facts)
    }

    // MARK: - Intake and closure

    private func checkIntake(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .recoveryReported(let e):
            try TimeRules.atOrBefore(
                e.contactAt, facts.occurredAt, .afterItsReport, "contactAt", pointer: "/data/contactAt")
            try log.county().checkPlace(
                agency: e.agency, agencyName: e.agencyName, station: e.station, area: e.area, at: e.contactAt)
            if let operationId = e.operationId {
                let operation = try log.runningOperation(operationId, at: "/data/operationId")
                try operation.requireDuring(e.contactAt, what: "contactAt", pointer: "/data/contactAt")
            }
        case .recoveryCorrected(let e):
            try checkCorrection(e.corrections, log)
        case .youthIdentityLinked(let e):
            try requireYouth(e.youthRef)
        case .caseDeemedOutOfScope(let e):
            if let other = e.duplicateOfCaseId { try requireOtherCase(other, at: "/data/duplicateOfCaseId", log) }
        case .recordSealed(let e):
            try requireYouth(e.youthRef)
            if let hold = try log.legalHolds().standing(on: [caseId]) {
                let rule = LifecycleViolation.Rule.underLegalHold
                throw RuleViolation(
                    RuleViolation.Rule(rule.name, rule.explanation), at: "/data/caseId",
                    LegalHoldRegister.sealingRefused(caseId, hold))
            }
        default:
            break
        }
    }

    /// A correction of the recovery: the corrected place is registered as named at the contact (only
    /// the fields it corrects are re-checked, at their pointer inside `corrections`, as for an arrest),
    /// and an operation it names ran at the contact.
    private func checkCorrection(_ c: RecoveryCorrected.Corrections, _ log: LogState) throws {
        guard let recovery, let contactAt else { return }
        let corrected = recovery.applying(c)
        func pointer(_ name: String, _ isCorrected: Bool) -> String? {
            isCorrected ? "/data/corrections/\(name)" : nil
        }
        let place = CountyRegistry.PlacePointers(
            agency: pointer("agency", c.agency != nil), agencyName: pointer("agencyName", c.agencyName != nil),
            station: pointer("station", c.station != nil), area: pointer("area", c.area != nil))
        if place.agency != nil || place.agencyName != nil || place.station != nil || place.area != nil {
            try log.county().checkPlace(
                agency: corrected.agency, agencyName: corrected.agencyName, station: corrected.station,
                area: corrected.area, at: contactAt, pointers: place)
        }
        if case .value(let operationId)? = c.operationId {
            let operation = try log.runningOperation(operationId, at: "/data/corrections/operationId")
            try operation.requireDuring(contactAt, what: "contactAt", pointer: "/data/corrections/operationId")
        }
    }

    // MARK: - Dispatch

    private func checkDispatch(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .responseRequested(let e):
            guard request(e.requestId) == nil else {
                throw RuleViolation(
                    .alreadyExists, at: "/data/requestId", "case \(caseId) has a request \(e.requestId)")
            }
            if let open = openRequests.first(where: { $0.role == e.role }) {
                throw RuleViolation(
                    .requestAlreadyOpen, at: "/data/role",
                    "case \(caseId) already has an open \(e.role.rawValue) request (\(open.requestId))")
            }
        case .recommendationComputed(let e):
            try awaiting(e.requestId, facts)
            try requireDecidedBefore(e.decidedAtPosition, facts)
        case .responderAssigned(let e):
            let request = try awaiting(e.requestId, facts)
            let responder = try log.responder(e.responderId, at: "/data/responderId")
            try responder.requireActive(at: "/data/responderId")
            if let role = responder.registration?.role, role.rawValue != request.role.rawValue,
                !(role == .supervisor && e.mode != .auto)
            {
                throw RuleViolation(
                    .roleMismatch, at: "/data/responderId",
                    "\(e.responderId) is \(role.rawValue); request \(e.requestId) needs \(request.role.rawValue)")
            }
        case .notificationSent(let e):
            try dispatched(e.requestId, to: e.responderId, facts)
        case .assignmentAcknowledged(let e):
            let request = try dispatched(e.requestId, to: e.responderId, facts)
            guard !request.acknowledged else {
                throw RuleViolation(
                    .alreadyAcknowledged, at: "/data/responderId", "\(e.responderId) acknowledged already")
            }
        case .assignmentDeclined(let e):
            try dispatched(e.requestId, to: e.responderId, facts)
        case .ackTimeoutElapsed(let e):
            try dispatched(e.requestId, to: e.responderId, facts)
            guard let timer = firedTimers[e.timerId], timer.kind == .ackTimeout, timer.requestId == e.requestId else {
                throw RuleViolation(
                    .unknownTimer, at: "/data/timerId",
                    "\(e.timerId) is not an ack-timeout timer of \(e.requestId) that has fired")
            }
        case .assignmentEscalated(let e):
            try dispatched(e.requestId, to: e.fromResponderId, facts, responderPointer: "/data/fromResponderId")
        case .responderEnRoute(let e):
            try dispatched(e.requestId, to: e.responderId, facts)
        case .responderArrived(let e):
            let request = try dispatched(e.requestId, to: e.responderId, facts)
            guard e.role == request.role else {
                throw RuleViolation(
                    .roleMismatch, at: "/data/role",
                    "request \(e.requestId) is for \(request.role.rawValue), not \(e.role.rawValue)")
            }
        case .responderCleared(let e):
            let request = try existingRequest(e.requestId)
            guard request.phase == .onScene, let arrival = request.arrival else {
                throw RuleViolation(
                    .lifecycle(.clearBeforeArrival), at: "/data/requestId",
                    "request \(e.requestId) has nobody on scene (it is \(request.phase.rawValue))")
            }
            guard arrival.responderId == e.responderId else {
                throw RuleViolation(
                    .notAssigned, at: "/data/responderId", "\(e.responderId) is not on scene for \(e.requestId)")
            }
            try TimeRules.notBefore(facts.occurredAt, arrival.at, .beforeArrival, "the arrival of \(e.responderId)")
        case .responseCancelled(let e):
            let request = try existingRequest(e.requestId)
            guard request.isOpen else {
                throw RuleViolation(
                    .lifecycle(.noOpenRequest), at: "/data/requestId",
                    "request \(e.requestId) was \(request.phase.rawValue) already")
            }
            try TimeRules.notBefore(facts.occurredAt, request.requestedAt, .beforeItsRequest, "request \(e.requestId)")
        case .slaBreached(let e):
            try TimeRules.atOrBefore(
                e.startedAt, facts.occurredAt, .afterItsReport, "startedAt", pointer: "/data/startedAt")
            if let requestId = e.requestId { _ = try existingRequest(requestId) }
        default:
            break
        }
    }

    /// The request `id`, or `unknown request`.
    private func existingRequest(_ id: RequestID) throws -> RequestFile {
        guard let request = request(id) else {
            throw RuleViolation(.unknownRequest, at: "/data/requestId", "case \(caseId) has no request \(id)")
        }
        return request
    }

    /// The request `id` with nobody on it, and `facts` not before it was made.
    @discardableResult
    private func awaiting(_ id: RequestID, _ facts: EventFacts) throws -> RequestFile {
        let request = try existingRequest(id)
        guard request.phase == .awaiting else {
            throw RuleViolation(
                .requestNotAwaiting, at: "/data/requestId", "request \(id) is \(request.phase.rawValue)")
        }
        try TimeRules.notBefore(facts.occurredAt, request.requestedAt, .beforeItsRequest, "request \(id)")
        return request
    }

    /// The request `id` with `responder` dispatched on it (assigned, not arrived), and `facts` not
    /// before it was made.
    @discardableResult
    private func dispatched(
        _ id: RequestID, to responder: ResponderID, _ facts: EventFacts, responderPointer: String = "/data/responderId"
    ) throws -> RequestFile {
        let request = try existingRequest(id)
        guard request.phase == .dispatched, let assigned = request.assigned else {
            throw RuleViolation(
                .notAssigned, at: "/data/requestId",
                "request \(id) has no responder dispatched (it is \(request.phase.rawValue))")
        }
        guard assigned == responder else {
            throw RuleViolation(
                .notAssigned, at: responderPointer, "\(responder) is not the responder on request \(id)")
        }
        try TimeRules.notBefore(facts.occurredAt, request.requestedAt, .beforeItsRequest, "request \(id)")
        return request
    }

    /// A decision was made at a position before its own.
    private func requireDecidedBefore(_ decidedAtPosition: Int, _ facts: EventFacts) throws {
        guard facts.position == 0 || UInt64(decidedAtPosition) < facts.position else {
            throw RuleViolation(
                .decisionFromTheFuture, at: "/data/decidedAtPosition",
                "decidedAtPosition \(decidedAtPosition) is not before the event's own position \(facts.position)")
        }
    }

    // MARK: - The 72 hours

    private func checkProtocol(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .servicesAccepted(let e):
            try requireOffered(e.services)
        case .servicesDeclined(let e):
            try requireOffered(e.services)
        case .youthWentMissing(let e):
            try requireYouth(e.youthRef)
            if let lastSeenAt = e.lastSeenAt {
                try TimeRules.atOrBefore(
                    lastSeenAt, facts.occurredAt, .afterItsReport, "lastSeenAt", pointer: "/data/lastSeenAt")
                if let contactAt {
                    try TimeRules.notBefore(
                        lastSeenAt, contactAt, .beforeContact, "the contact with the youth", pointer: "/data/lastSeenAt"
                    )
                }
            }
        case .youthReturned(let e):
            try requireYouth(e.youthRef)
            if let other = e.newCaseId { try requireOtherCase(other, at: "/data/newCaseId", log) }
            if let missingSince = milestones.wentMissing.last {
                try TimeRules.notBefore(facts.occurredAt, missingSince, .returnBeforeMissing, "YouthWentMissing")
            }
        case .placementCorrected, .placementVoided:
            if let latest = placements.last {
                try TimeRules.notBefore(facts.occurredAt, latest.at, .beforeItsFact, "the placement decision")
            }
        case .protocolWindowClosed(let e):
            guard let contactAt, e.contactAt == contactAt else {
                throw RuleViolation(
                    .windowNotEnded, at: "/data/contactAt",
                    "case \(caseId)'s contact was at \(contactAt.map(String.init(describing:)) ?? "no time"), not \(e.contactAt)"
                )
            }
            try TimeRules.notBefore(facts.occurredAt, e.windowEndsAt, .windowNotEnded, "the end of the 72-hour window")
            try requireDecidedBefore(e.decidedAtPosition, facts)
        default:
            break
        }
    }

    private func requireOffered(_ services: [ServiceKind]) throws {
        for (index, service) in services.enumerated() where !servicesOffered.contains(service) {
            throw RuleViolation(
                .serviceNotOffered, at: "/data/services/\(index)",
                "\(service.rawValue) was not offered in case \(caseId)")
        }
    }

    // MARK: - Timers

    private func checkTimers(_ event: CatalogEvent) throws {
        switch event {
        case .timerScheduled(let e):
            try TimerRules.schedule(e.timerId, scheduled: scheduledTimerIds.contains(e.timerId))
            if let requestId = e.requestId { _ = try existingRequest(requestId) }
        case .timerCancelled(let e):
            try TimerRules.pending(e.timerId, pendingTimers[e.timerId] != nil)
        case .timerFired(let e):
            try TimerRules.fire(e, pending: pendingTimers[e.timerId].map { ($0.kind, $0.dueAt) })
        default:
            break
        }
    }

    // MARK: - Identity

    /// Checks that `ref` is this case's youth.
    private func requireYouth(_ ref: YouthRef) throws {
        guard let youthRef, ref == youthRef else {
            throw RuleViolation(.youthMismatch, at: "/data/youthRef", "\(ref) is not the youth of case \(caseId)")
        }
    }

    /// Checks that `other` is another reported case.
    private func requireOtherCase(_ other: CaseID, at pointer: String, _ log: LogState) throws {
        guard other != caseId else {
            throw RuleViolation(.unknownCase, at: pointer, "\(other) is this case itself")
        }
        _ = try log.existingCase(other, at: pointer)
    }
}

extension RuleViolation.Rule {
    /// A case-lifecycle rule as a rule of the log.
    static func lifecycle(_ rule: LifecycleViolation.Rule) -> Self { Self(rule.name, rule.explanation) }
}
