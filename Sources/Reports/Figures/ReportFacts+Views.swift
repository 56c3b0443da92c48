public import EventStore
public import FirstResponder
public import Projections

extension ReportFacts {
    /// The projections the report reads.
    public static let projections: [any Projection.Type] = [
        CasesProjection.self, ArrestsProjection.self, TrainingProjection.self,
    ]

    /// The facts of the views `reader` holds (stored views caught up to a position, or views folded
    /// in memory through it), with the policy versions recorded by then and the log's `head` at that
    /// position. Clocks are evaluated at the reader's recorded time. Only facts placed inside `spans`
    /// are read (all when `nil`); which recoveries repeat is still decided over the whole log.
    public init(_ reader: any ViewReader, policies: [Policy], head: LogHead, within spans: [Period]? = nil) throws {
        self.init()
        self.head = head
        self.policies = policies
        lastRecordedAt = reader.recordedAt
        func wanted(_ micros: Int64) -> Bool { spans?.contains { $0.contains(micros) } ?? true }
        let now = reader.recordedAt ?? Timestamp(microseconds: 0)
        let contacts = try reader.rows(CasesProjection.contacts)
        let counted = CountedRecovery.all(contacts)
        let levels: Set<String> = [ServiceLevel.advocateOnScene.rawValue, ServiceLevel.agencyOnScene.rawValue]
        for contact in contacts where wanted(contact.contactAt) {
            guard let record = try reader.row(CasesProjection.cases, contact.caseId) else { continue }
            let recovery = counted[record.caseId]
            recoveries.append(
                Recovery(record, youth: recovery?.youth ?? record.youthRef, isRepeat: recovery?.isRepeat ?? false))
            for clock in ServiceLevelClocks.clocks(of: record, now: now) where levels.contains(clock.serviceLevel) {
                onScene.append(OnSceneClock(contactAt: Timestamp(microseconds: record.contactAt), clock: clock))
            }
        }
        for row in try reader.rows(CasesProjection.voidedRecoveries) where wanted(row.contactAt) {
            voidedRecoveries.append(Timestamp(microseconds: row.contactAt))
        }
        for row in try reader.rows(ArrestsProjection.operations) { operations[row.operationId] = row.name }
        for row in try reader.rows(ArrestsProjection.arrests) where wanted(row.arrestedAt) {
            let arrest = Arrest(
                // A voided operation left the view: its arrests are in no named operation.
                role: row.role, arrestedAt: Timestamp(microseconds: row.arrestedAt),
                operationId: row.operationId.flatMap { operations[$0] == nil ? nil : $0 },
                area: row.area, corrections: row.corrections, enteredLate: row.enteredLate)
            if row.voided == nil { arrests.append(arrest) } else { voidedArrests.append(arrest) }
        }
        for row in try reader.rows(TrainingProjection.sessions) where wanted(row.heldAt) {
            sessions.append(
                Session(
                    heldAt: Timestamp(microseconds: row.heldAt), courseCode: row.courseCode,
                    courseTitle: row.courseTitle, audienceSector: row.audienceSector, attendees: row.attendees,
                    enteredLate: row.enteredLate))
        }
        // Cohorts are few, and one that started earlier may complete inside a span: all are read.
        for row in try reader.rows(TrainingProjection.cohorts) {
            cohorts.append(
                Cohort(
                    startedAt: Timestamp(microseconds: row.startedAt), participants: row.participants,
                    completed: row.completedAt.map {
                        (Timestamp(microseconds: $0), row.completedParticipants ?? 0, row.completers ?? 0)
                    }))
        }
    }

    /// The policy versions of `store` recorded through `position`, in order (the `policy` stream).
    public static func policies(_ store: EventStore, through position: UInt64) throws -> [Policy] {
        var out: [Policy] = []
        for recorded in try store.readStream(PolicyView.stream) where recorded.position <= position {
            guard let change = try EventCatalog.decode(recorded) as? PolicyChanged else { continue }
            out.append(
                Policy(
                    version: change.policyVersion, from: recorded.occurredAt,
                    advocateOnSceneMinutes: change.slaThresholds.advocateOnScene / 60,
                    agencyOnSceneMinutes: change.slaThresholds.agencyOnScene / 60))
        }
        return out
    }
}

extension ReportFacts.Recovery {
    /// A reported case as the report counts it: `youth` and `isRepeat` as ``CountedRecovery``
    /// decided them.
    init(_ record: CaseRecord, youth: String, isRepeat: Bool) {
        let m = record.milestones
        contactAt = Timestamp(microseconds: record.contactAt)
        self.youth = youth
        self.isRepeat = isRepeat
        agency = record.agency
        station = record.station
        area = record.area
        age = record.ageAtContact
        outOfScope = record.outOfScope?.code
        corrections = record.corrections
        enteredLate = LateEntryRule.isLate(
            occurredAt: Timestamp(microseconds: record.reportedAt),
            recordedAt: Timestamp(microseconds: record.reportedRecordedAt))
        milestones = record.domainMilestones
        windowEnd = record.windowEnd
        placement = zip(m.placementAt, m.placementKind).map { (Timestamp(microseconds: $0), $1) }
        servicesAnswer = zip(m.servicesAnswerAt, m.servicesAnswer).map {
            (Timestamp(microseconds: $0), $1 == "accepted")
        }
        var actions = ReportFacts.DispatchActions()
        for request in record.requests {
            for a in request.assignments {
                actions.notifications += a.notifications
                if a.acknowledgedAt != nil { actions.acknowledgements += 1 }
                if a.declinedAt != nil { actions.declines += 1 }
                if a.timedOutAt != nil { actions.timeouts += 1 }
                if a.escalatedAt != nil { actions.escalations += 1 }
            }
        }
        self.actions = actions
    }
}

/// Both values, or `nil`.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
