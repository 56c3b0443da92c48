public import EventStore

/// Where a request goes next when its responder declines or does not acknowledge in time: down the
/// ranked list, and past its end to the on-duty supervisor.
public enum Escalation {
    /// The next step.
    public enum Step: Sendable, Equatable {
        /// Notify the candidate at this rank.
        case candidate(responderId: String, rank: Int)
        /// The list is exhausted: the supervisor on duty.
        case supervisor(responderId: String)
        /// Nobody is left, not even a supervisor: the request stays open and is flagged.
        case exhausted
    }

    /// The next step after `tried` responders, for a request decided by `recommendation`, with the
    /// supervisors on shift at `instant` (nearest area first, then by id). `roster` is the board as it
    /// is now: a candidate ranked earlier who has since gone to another scene, off shift, on time off
    /// or been deactivated is passed over.
    public static func next(
        after tried: Set<String>,
        recommendation: Recommendation,
        roster: RosterSnapshot,
        area: String,
        at instant: Timestamp,
        maxEscalations: Int
    ) -> Step {
        let escalations = max(0, tried.count - 1)
        if escalations < maxEscalations,
            let candidate = recommendation.candidates.first(where: {
                !tried.contains($0.responderId) && isAvailable($0.responderId, roster, at: instant)
            })
        {
            return .candidate(responderId: candidate.responderId, rank: candidate.rank)
        }
        let supervisors = roster.responders.filter {
            $0.role == "supervisor" && !$0.deactivated && !tried.contains($0.id)
                && roster.shift(of: $0.id, at: instant) != nil && !roster.isOff($0.id, at: instant)
        }
        let nearest = supervisors.min { a, b in
            let ha = ServicePlanningAreas.hops(from: a.areas, to: area)
            let hb = ServicePlanningAreas.hops(from: b.areas, to: area)
            return ha != hb ? ha < hb : a.id < b.id
        }
        if let nearest { return .supervisor(responderId: nearest.id) }
        return .exhausted
    }

    /// Whether `id` can still be asked at `instant`, by the same rules the policies exclude with
    /// (registered and active, on shift and not on time off, not off duty, not committed to a scene).
    /// The area was settled when the list was ranked.
    static func isAvailable(_ id: String, _ roster: RosterSnapshot, at instant: Timestamp) -> Bool {
        guard let r = roster.responders.first(where: { $0.id == id }) else { return false }
        let now = DispatchRequest(
            caseId: "", requestId: "", role: r.role, area: "", station: "", youthRef: "", at: instant)
        return Eligibility.exclusion(r, now, roster) { _, _ in true } == nil
    }
}
