public import EventStore

extension RecommendationComputed {
    /// RecommendationComputed v1 → v2: v2 only adds the optional `policyRevision` (the parameters'
    /// revision the decision used), so every field is copied (v1's `Candidate` and `Exclusion` are v2's: the
    /// generator shares a nested type whose schema did not change) and `policyRevision` stays absent — a v1
    /// decision's parameters are the policy stream's as of its `decidedAtPosition`.
    public init(upcasting v1: RecommendationComputed.V1) {
        self.init(
            caseId: v1.caseId, requestId: v1.requestId, policyVersion: v1.policyVersion, policyRevision: nil,
            decidedAtPosition: v1.decidedAtPosition, rosterVersion: v1.rosterVersion,
            candidates: v1.candidates, exclusions: v1.exclusions)
    }
}

extension RecommendationComputed.V1 {
    /// The rules of v2, which v1 shares (ranks, scores, no responder twice).
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        try RecommendationComputed(upcasting: self).validateRules(occurredAt: occurredAt)
    }
}
