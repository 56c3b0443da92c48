public import EventStore

extension RecommendationComputed {
    /// RecommendationComputed v1 → v2: v2 only adds the optional `policyRevision` (the parameters'
    /// revision the decision used), so every field is copied and `policyRevision` stays absent — a v1
    /// decision's parameters are the policy stream's as of its `decidedAtPosition`.
    public init(upcasting v1: RecommendationComputed.V1) {
        self.init(
            caseId: v1.caseId, requestId: v1.requestId, policyVersion: v1.policyVersion, policyRevision: nil,
            decidedAtPosition: v1.decidedAtPosition, rosterVersion: v1.rosterVersion,
            candidates: v1.candidates.map {
                Candidate(responderId: $0.responderId, rank: $0.rank, score: $0.score, reasons: $0.reasons)
            },
            exclusions: v1.exclusions.map {
                Exclusion(
                    responderId: $0.responderId,
                    reasonCode: Exclusion.ReasonCode(rawValue: $0.reasonCode.rawValue) ?? .other, reason: $0.reason)
            })
    }
}

extension RecommendationComputed.V1 {
    /// The rules of v2, which v1 shares (ranks, scores, no responder twice).
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        try RecommendationComputed(upcasting: self).validateRules(occurredAt: occurredAt)
    }
}
