import EventStore

extension Dispatching {
    /// The events that move `request` on from `from` (who declined, timed out or was taken off it):
    /// `AssignmentEscalated` to the next candidate of the request's ranked recommendation or, past
    /// the list or the policy's escalation limit, to the on-duty supervisor nearest the recovery
    /// (``Escalation/next(after:recommendation:roster:area:at:maxEscalations:)``), then the new
    /// assignment and its notification.
    ///
    /// When nobody is left, not even a supervisor, the request escalates to `supervisor` with no
    /// responder and waits, open, for a manual assignment.
    static func escalate(
        from: ResponderID, cause: AssignmentEscalated.Cause, reason: String? = nil, request: RequestFile,
        in file: CaseFile, context: CommandContext
    ) throws -> [any DomainEvent] {
        let policy = try context.policy()
        let roster = try context.roster()
        context.expectRoster(roster)
        var tried = request.triedIds
        tried.insert(from.rawValue)
        let recommendation =
            request.recommendation.map(Self.recommendation)
            ?? Recommendation(policyVersion: policy.version, candidates: [], exclusions: [])
        let policyVersion = request.recommendation?.policyVersion ?? policy.version
        // The board as this case's youth sees it: escalation reads no continuity, and each responder's
        // served youth narrowed to this one costs the same however many youth the county has served.
        let board = roster.snapshot(at: context.occurredAt, youth: file.youthRef?.rawValue)
        let step = Escalation.next(
            after: tried, recommendation: recommendation, roster: board,
            area: file.area?.rawValue ?? "", at: context.occurredAt, maxEscalations: policy.maxEscalations)
        let to: AssignmentEscalated.To
        let target: (id: String, rank: Int?)?
        switch step {
        case .candidate(let id, let rank):
            to = .nextCandidate
            target = (id, rank)
        case .supervisor(let id):
            to = .supervisor
            target = (id, nil)
        case .exhausted:
            to = .supervisor
            target = nil
        }
        let next = target.flatMap { ResponderID(rawValue: $0.id) }
        var events: [any DomainEvent] = [
            AssignmentEscalated(
                caseId: file.caseId, requestId: request.requestId, fromResponderId: from, to: to,
                toResponderId: next, cause: cause, escalationLevel: min(50, request.escalationLevel + 1),
                policyVersion: policyVersion, reason: reason)
        ]
        if let next {
            let responder = try context.responder(next, field: "/responderId")
            events += assign(
                responder, to: request, in: file, mode: .escalation, rank: target?.rank, policyVersion: policyVersion,
                channel: .push, policy: policy, at: context.occurredAt)
        }
        return events
    }

    /// A recorded recommendation as the policy's value, for escalation and audits.
    static func recommendation(_ recorded: RecommendationComputed) -> Recommendation { Recommendation(recorded) }

    /// The policy's recommendation as the event that records it, with the parameters' revision it
    /// was ranked with.
    static func recorded(
        _ recommendation: Recommendation, caseId: CaseID, requestId: RequestID, decidedAtPosition: UInt64,
        rosterVersion: UInt64, policyRevision: UInt64
    ) -> RecommendationComputed {
        RecommendationComputed(
            caseId: caseId, requestId: requestId, policyVersion: recommendation.policyVersion,
            policyRevision: Int(policyRevision), decidedAtPosition: Int(decidedAtPosition),
            rosterVersion: Int(rosterVersion),
            candidates: recommendation.candidates.map {
                RecommendationComputed.Candidate(
                    responderId: ResponderID(uncheckedRawValue: $0.responderId), rank: $0.rank, score: $0.score,
                    reasons: $0.reasons)
            },
            exclusions: recommendation.exclusions.map {
                let code = RecommendationComputed.Exclusion.ReasonCode(rawValue: $0.reasonCode)
                return RecommendationComputed.Exclusion(
                    responderId: ResponderID(uncheckedRawValue: $0.responderId), reasonCode: code ?? .other,
                    reason: code == nil ? ($0.reason ?? $0.reasonCode) : $0.reason)
            })
    }
}
