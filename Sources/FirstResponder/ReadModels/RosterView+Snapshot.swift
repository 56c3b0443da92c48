public import EventStore

extension RosterView {
    /// The board as a ``DispatchPolicy`` reads it: responders in registration order with their
    /// workload, rotation and continuity (a youth linked to another reference counts as served under
    /// both), shifts in scheduling order, time off in recording order.
    public func snapshot() -> RosterSnapshot {
        let shifts = shiftOrder.compactMap { self.shifts[$0].map(Self.snapshotShift) }
        let timeOff = timeOff.map(Self.snapshotTimeOff)
        return RosterSnapshot(
            version: rosterVersion, responders: snapshotResponders(), shifts: shifts, timeOff: timeOff)
    }

    /// The board as a policy deciding at `instant` reads it: only the shifts and time off that cover
    /// `instant` — all a policy or an escalation looks at (``RosterSnapshot/shift(of:at:)``,
    /// ``RosterSnapshot/isOff(_:at:)``) — so a decision costs the same however long the roster's
    /// history. Same responders, same order, same answers as ``snapshot()`` at that instant.
    ///
    /// Given the `youth` the decision is for, each responder's `youthServed` holds only that
    /// reference, when they served it or a reference linked with it — the one question a policy
    /// asks of it (continuity) — instead of every youth they ever served: the board then costs the
    /// same however many youth the responders have served.
    public func snapshot(at instant: Timestamp, youth: String? = nil) -> RosterSnapshot {
        let covering = shiftIndex.candidates(covering: instant).compactMap { shifts[$0] }
            .filter { $0.startsAt <= instant && instant < $0.endsAt }
            .sorted { $0.sequence < $1.sequence }
        let away = timeOffIndex.candidates(covering: instant).sorted().map { timeOff[$0] }
            .filter { $0.startsAt <= instant && instant < $0.endsAt }
        return RosterSnapshot(
            version: rosterVersion, responders: snapshotResponders(youth: youth),
            shifts: covering.map(Self.snapshotShift),
            timeOff: away.map(Self.snapshotTimeOff))
    }

    private static func snapshotShift(_ s: Shift) -> RosterSnapshot.Shift {
        RosterSnapshot.Shift(
            responderId: s.responderId.rawValue, startsAt: s.startsAt, endsAt: s.endsAt, onCall: s.onCall,
            areas: s.areas?.map(\.rawValue))
    }

    private static func snapshotTimeOff(_ t: TimeOffRecorded) -> RosterSnapshot.TimeOff {
        RosterSnapshot.TimeOff(responderId: t.responderId.rawValue, startsAt: t.startsAt, endsAt: t.endsAt)
    }
}

extension RosterView {
    /// Every youth reference linked with `ref` as one person, `ref` included.
    public func linkedYouthRefs(_ ref: YouthRef) -> Set<YouthRef> {
        let r = root(ref)
        var group: Set<YouthRef> = [ref, r]
        group.formUnion(youthGroups[r] ?? [])
        return group
    }

    /// Every case of the youth `ref` and of the references linked with it, in id order.
    public func cases(ofYouth ref: YouthRef) -> [CaseID] {
        let group = linkedYouthRefs(ref)
        return caseYouth.keys { group.contains($1) }.sorted()
    }
}

extension RosterView {
    /// Responders in registration order with their workload, rotation and continuity: every youth
    /// each served, or (given `youth`) only whether each served that one.
    fileprivate func snapshotResponders(youth: String? = nil) -> [RosterSnapshot.Responder] {
        var workload: [ResponderID: Int] = [:]
        for responder in openAssignments.values { workload[responder, default: 0] += 1 }
        var groups: [YouthRef: Set<YouthRef>] = [:]
        let asked = youth.map { linkedYouthRefs(YouthRef(uncheckedRawValue: $0)) }
        if asked == nil {
            for ref in youthParent.keys { groups[root(ref), default: []].insert(ref) }
            for (ref, group) in groups { groups[ref] = group.union([ref]) }
        }

        return registrationOrder.compactMap { id -> RosterSnapshot.Responder? in
            guard let e = self.responders[id] else { return nil }
            var served = Set<String>()
            if let youth, let asked {
                if !e.youthServed.isDisjoint(with: asked) { served.insert(youth) }
            } else {
                for ref in e.youthServed {
                    served.insert(ref.rawValue)
                    for linked in groups[root(ref)] ?? [] { served.insert(linked.rawValue) }
                }
            }
            var responder = e.registered
            responder.deactivated = e.deactivated
            responder.status = e.status.rawValue
            responder.activeCase = e.activeCase?.rawValue
            responder.openAssignments = workload[id] ?? 0
            responder.lastAssignedAt = e.lastAssignedAt
            responder.youthServed = served
            return responder
        }
    }
}
