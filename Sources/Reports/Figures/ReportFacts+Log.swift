public import EventStore
public import FirstResponder

extension ReportFacts {
    /// The types the report reads; every other event is skipped before it is decoded.
    static let readTypes: Set<String> = [
        "RecoveryReported", "YouthIdentityLinked", "HotlineReferralCreated", "CaseDeemedOutOfScope",
        "ResponseRequested", "NotificationSent", "AssignmentAcknowledged", "AssignmentDeclined", "AckTimeoutElapsed",
        "AssignmentEscalated", "ResponderArrived", "ResponseCancelled", "ServicesOffered", "ServicesAccepted",
        "ServicesDeclined", "MedicalEvaluationCompleted", "MedicalEvaluationDeclined", "PlacementDecided",
        "MDTMeetingHeld", "YouthWentMissing", "OperationStarted", "ArrestRecorded", "ArrestCorrected",
        "ArrestVoided", "TrainingSessionHeld", "ParentProgramCohortStarted", "ParentProgramCohortCompleted",
        "PolicyChanged",
    ]

    /// The facts of `store` from the first position through `position` (the head when nil): one
    /// forward scan, reading in chunks.
    public static func read(_ store: EventStore, through position: UInt64? = nil) throws -> ReportFacts {
        var fold = LogFold()
        try store.scan(from: 1, through: position ?? .max) { view in
            fold.facts.head = LogHead(position: view.position, hash: Array(view.hashBytes))
            fold.facts.lastRecordedAt = view.recordedAt
            guard readTypes.contains(view.type) else { return }
            do {
                fold.apply(try CatalogEvent(view), occurredAt: view.occurredAt, recordedAt: view.recordedAt)
            } catch {
                fold.facts.undecodable.append(view.position)
            }
        }
        return fold.finish()
    }
}

/// The forward fold behind ``ReportFacts/read(_:through:)``.
private struct LogFold {
    var facts = ReportFacts()
    var caseIndex: [String: Int] = [:]
    var requestIndex: [String: (recovery: Int, clock: Int)] = [:]
    var arrestIndex: [String: Int] = [:]
    var arrests: [ReportFacts.Arrest] = []
    var voided = Set<Int>()
    var cohortIndex: [String: Int] = [:]
    var youthParent: [String: String] = [:]
    var youthOrder: [String: Int] = [:]
    var outOfScope: [Int: String] = [:]

    mutating func apply(_ event: CatalogEvent, occurredAt at: Timestamp, recordedAt: Timestamp) {
        let late = LateEntryRule.isLate(occurredAt: at, recordedAt: recordedAt)
        switch event {
        case .recoveryReported(let e):
            guard caseIndex[e.caseId.rawValue] == nil else { return }
            caseIndex[e.caseId.rawValue] = facts.recoveries.count
            seeYouth(e.youthRef.rawValue)
            facts.recoveries.append(
                ReportFacts.Recovery(
                    contactAt: e.contactAt, youth: e.youthRef.rawValue, isRepeat: false, agency: e.agency.rawValue,
                    station: e.station, area: e.area.rawValue, age: e.ageAtContact, outOfScope: nil,
                    enteredLate: late, clocks: [], milestones: CaseMilestones(), placement: nil, servicesAnswer: nil,
                    actions: ReportFacts.DispatchActions()))
        case .youthIdentityLinked(let e):
            seeYouth(e.youthRef.rawValue)
            seeYouth(e.sameAsYouthRef.rawValue)
            union(e.youthRef.rawValue, e.sameAsYouthRef.rawValue)
        case .hotlineReferralCreated(let e):
            onCase(e.caseId) { r in
                if r.milestones.hotlineReferralCreated == nil { r.milestones.hotlineReferralCreated = at }
            }
        case .caseDeemedOutOfScope(let e):
            onCase(e.caseId) { $0.outOfScope = e.reasonCode.rawValue }
        case .responseRequested(let e):
            guard let i = caseIndex[e.caseId.rawValue] else { return }
            let level: ServiceLevel = e.role == .advocate ? .advocateOnScene : .agencyOnScene
            if level == .agencyOnScene { facts.recoveries[i].milestones.agencyRequested = true }
            requestIndex[e.requestId.rawValue] = (i, facts.recoveries[i].clocks.count)
            facts.recoveries[i].clocks.append(
                ReportFacts.Clock(
                    level: level, requestedAt: at, deadlineAt: e.deadlineAt, arrivedAt: nil, cancelledBecause: nil,
                    enteredLate: late))
        case .notificationSent(let e):
            onCase(e.caseId) { $0.actions.notifications += 1 }
        case .assignmentAcknowledged(let e):
            onCase(e.caseId) { $0.actions.acknowledgements += 1 }
        case .assignmentDeclined(let e):
            onCase(e.caseId) { $0.actions.declines += 1 }
        case .ackTimeoutElapsed(let e):
            onCase(e.caseId) { $0.actions.timeouts += 1 }
        case .assignmentEscalated(let e):
            onCase(e.caseId) { $0.actions.escalations += 1 }
        case .responderArrived(let e):
            guard let (i, c) = requestIndex[e.requestId.rawValue] else { return }
            guard facts.recoveries[i].clocks[c].arrivedAt == nil else { return }
            facts.recoveries[i].clocks[c].arrivedAt = at
            if late { facts.recoveries[i].clocks[c].enteredLate = true }
            if facts.recoveries[i].clocks[c].level == .advocateOnScene {
                if facts.recoveries[i].milestones.advocateOnScene == nil {
                    facts.recoveries[i].milestones.advocateOnScene = at
                }
            } else if facts.recoveries[i].milestones.agencyOnScene == nil {
                facts.recoveries[i].milestones.agencyOnScene = at
            }
        case .responseCancelled(let e):
            guard let (i, c) = requestIndex[e.requestId.rawValue], facts.recoveries[i].clocks[c].arrivedAt == nil else {
                return
            }
            facts.recoveries[i].clocks[c].cancelledBecause = e.reasonCode.rawValue
        case .servicesOffered(let e):
            onCase(e.caseId) { r in if r.milestones.servicesOffered == nil { r.milestones.servicesOffered = at } }
        case .servicesAccepted(let e):
            onCase(e.caseId) { r in if r.servicesAnswer == nil { r.servicesAnswer = (at, true) } }
        case .servicesDeclined(let e):
            onCase(e.caseId) { r in if r.servicesAnswer == nil { r.servicesAnswer = (at, false) } }
        case .medicalEvaluationCompleted(let e):
            onCase(e.caseId) { r in
                if r.milestones.healthEvaluation == nil { r.milestones.healthEvaluation = (at, .completed) }
            }
        case .medicalEvaluationDeclined(let e):
            onCase(e.caseId) { r in
                if r.milestones.healthEvaluation == nil { r.milestones.healthEvaluation = (at, .declined) }
            }
        case .placementDecided(let e):
            onCase(e.caseId) { r in
                if r.placement == nil {
                    r.placement = (at, e.kind.rawValue)
                    r.milestones.placementDecided = at
                }
            }
        case .mdtMeetingHeld(let e):
            onCase(e.caseId) { r in if r.milestones.mdtMeetingHeld == nil { r.milestones.mdtMeetingHeld = at } }
        case .youthWentMissing(let e):
            onCase(e.caseId) { $0.milestones.wentMissing.append(at) }
        case .operationStarted(let e):
            facts.operations[e.operationId.rawValue] = e.name
        case .arrestRecorded(let e):
            guard arrestIndex[e.arrestId.rawValue] == nil else { return }
            arrestIndex[e.arrestId.rawValue] = arrests.count
            arrests.append(ReportFacts.Arrest(arrest: e, corrections: 0, enteredLate: late))
        case .arrestCorrected(let e):
            guard let i = arrestIndex[e.arrestId.rawValue], !voided.contains(i) else { return }
            arrests[i].arrest.apply(e.corrections)
            arrests[i].corrections += 1
        case .arrestVoided(let e):
            guard let i = arrestIndex[e.arrestId.rawValue] else { return }
            voided.insert(i)
        case .trainingSessionHeld(let e):
            facts.sessions.append(ReportFacts.Session(heldAt: at, session: e, enteredLate: late))
        case .parentProgramCohortStarted(let e):
            cohortIndex[e.cohortId.rawValue] = facts.cohorts.count
            facts.cohorts.append(ReportFacts.Cohort(startedAt: at, participants: e.participants, completed: nil))
        case .parentProgramCohortCompleted(let e):
            guard let i = cohortIndex[e.cohortId.rawValue] else { return }
            facts.cohorts[i].completed = (at, e.participants, e.completers)
        case .policyChanged(let e):
            facts.policies.append(
                ReportFacts.Policy(
                    version: e.policyVersion, from: at, advocateOnSceneMinutes: e.slaThresholds.advocateOnScene / 60,
                    agencyOnSceneMinutes: e.slaThresholds.agencyOnScene / 60))
        case .recommendationComputed, .responderAssigned, .responderEnRoute, .responderCleared, .slaBreached,
            .youthReturned, .protocolWindowClosed, .caseClosed, .caseReopened, .recordSealed, .operationEnded,
            .responderRegistered, .responderDeactivated, .shiftScheduled, .shiftSwapped, .timeOffRecorded,
            .responderStatusChanged, .timerScheduled, .timerCancelled, .timerFired:
            break
        }
    }

    private mutating func onCase(_ id: CaseID, _ body: (inout ReportFacts.Recovery) -> Void) {
        guard let i = caseIndex[id.rawValue] else { return }
        body(&facts.recoveries[i])
    }

    private mutating func seeYouth(_ ref: String) {
        if youthOrder[ref] == nil { youthOrder[ref] = youthOrder.count }
    }

    private mutating func root(_ ref: String) -> String {
        var r = ref
        while let p = youthParent[r], p != r { r = p }
        var c = ref
        while let p = youthParent[c], p != r {
            youthParent[c] = r
            c = p
        }
        return r
    }

    /// Joins two youth references; the one seen first names the youth.
    private mutating func union(_ a: String, _ b: String) {
        let ra = root(a)
        let rb = root(b)
        guard ra != rb else { return }
        if youthOrder[ra, default: .max] <= youthOrder[rb, default: .max] {
            youthParent[rb] = ra
        } else {
            youthParent[ra] = rb
        }
    }

    mutating func finish() -> ReportFacts {
        for i in facts.recoveries.indices { facts.recoveries[i].youth = root(facts.recoveries[i].youth) }
        // A repeat recovery is any but the first contact with the same youth (cases out of scope
        // are not recoveries).
        var seen = Set<String>()
        let order = facts.recoveries.indices.filter { facts.recoveries[$0].outOfScope == nil }.sorted {
            (facts.recoveries[$0].contactAt, $0) < (facts.recoveries[$1].contactAt, $1)
        }
        for i in order { facts.recoveries[i].isRepeat = !seen.insert(facts.recoveries[i].youth).inserted }
        for (i, a) in arrests.enumerated() {
            if voided.contains(i) { facts.voidedArrests.append(a) } else { facts.arrests.append(a) }
        }
        return facts
    }
}
