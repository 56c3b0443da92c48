public import EventStore
public import FirstResponder
import Projections

extension ReportFacts {
    /// The types the report reads; every other event is skipped before it is decoded.
    static let readTypes: Set<String> = [
        "RecoveryReported", "YouthIdentityLinked", "HotlineReferralCreated", "CaseDeemedOutOfScope",
        "ResponseRequested", "NotificationSent", "AssignmentAcknowledged", "AssignmentDeclined", "AckTimeoutElapsed",
        "AssignmentEscalated", "ResponderArrived", "ServicesOffered", "ServicesAccepted",
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
        var facts = fold.finish()
        try facts.readClocks(store)
        return facts
    }

    /// The on-scene clocks, from the `cases` view folded in memory through the same position and
    /// evaluated at the last recorded time read.
    mutating func readClocks(_ store: EventStore) throws {
        let cases = CasesProjection(backend: MemoryBackend())
        var targets = [FoldTarget(cases)]
        try Fold.run(store, &targets, through: head.position)
        let snapshot = try ViewSnapshot(
            [cases], position: head.position, recordedAt: lastRecordedAt, head: head.position)
        let now = lastRecordedAt ?? Timestamp(microseconds: 0)
        let levels: Set<String> = [ServiceLevel.advocateOnScene.rawValue, ServiceLevel.agencyOnScene.rawValue]
        for record in try snapshot.rows(CasesProjection.cases) {
            for clock in ServiceLevelClocks.clocks(of: record, now: now) where levels.contains(clock.serviceLevel) {
                onScene.append(OnSceneClock(contactAt: Timestamp(microseconds: record.contactAt), clock: clock))
            }
        }
    }
}

/// The forward fold behind ``ReportFacts/read(_:through:)``.
private struct LogFold {
    var facts = ReportFacts()
    var caseIndex: [String: Int] = [:]
    var arrestIndex: [String: Int] = [:]
    var arrests: [ReportFacts.Arrest] = []
    var voided = Set<Int>()
    var cohortIndex: [String: Int] = [:]
    var youthParent: [String: String] = [:]
    var youthOrder: [String: Int] = [:]
    var outOfScope: [Int: String] = [:]

    mutating func apply(_ event: CatalogEvent, occurredAt at: Timestamp, recordedAt: Timestamp) {
        let late = LateEntryRule.isLate(occurredAt: at, recordedAt: recordedAt)
        // The time that places the fact in a period: the domain's one rule.
        let placed = ReportingTime.instant(of: event, occurredAt: at) ?? at
        switch event {
        case .recoveryReported(let e):
            guard caseIndex[e.caseId.rawValue] == nil else { return }
            caseIndex[e.caseId.rawValue] = facts.recoveries.count
            seeYouth(e.youthRef.rawValue)
            facts.recoveries.append(
                ReportFacts.Recovery(
                    contactAt: placed, youth: e.youthRef.rawValue, isRepeat: false, agency: e.agency.rawValue,
                    station: e.station, area: e.area.rawValue, age: e.ageAtContact, outOfScope: nil,
                    enteredLate: late, milestones: CaseMilestones(), placement: nil, servicesAnswer: nil,
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
            if e.role != .advocate { onCase(e.caseId) { $0.milestones.agencyRequested = true } }
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
            onCase(e.caseId) { r in
                if e.role == .advocate {
                    if r.milestones.advocateOnScene == nil { r.milestones.advocateOnScene = at }
                } else if r.milestones.agencyOnScene == nil {
                    r.milestones.agencyOnScene = at
                }
            }
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
            facts.sessions.append(ReportFacts.Session(heldAt: placed, session: e, enteredLate: late))
        case .parentProgramCohortStarted(let e):
            cohortIndex[e.cohortId.rawValue] = facts.cohorts.count
            facts.cohorts.append(ReportFacts.Cohort(startedAt: placed, participants: e.participants, completed: nil))
        case .parentProgramCohortCompleted(let e):
            guard let i = cohortIndex[e.cohortId.rawValue] else { return }
            facts.cohorts[i].completed = (at, e.participants, e.completers)
        case .policyChanged(let e):
            facts.policies.append(
                ReportFacts.Policy(
                    version: e.policyVersion, from: at, advocateOnSceneMinutes: e.slaThresholds.advocateOnScene / 60,
                    agencyOnSceneMinutes: e.slaThresholds.agencyOnScene / 60))
        case .recommendationComputed, .responderAssigned, .responderEnRoute, .responderCleared, .slaBreached,
            .youthReturned, .protocolWindowClosed, .responseCancelled, .caseClosed, .caseReopened, .recordSealed,
            .operationEnded,
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
