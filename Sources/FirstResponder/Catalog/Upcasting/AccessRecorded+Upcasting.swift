extension AccessRecorded {
    /// AccessRecorded v1 → v2 (docs/EVENTS.md, *Corrections, versioning and upcasting*): v2 only adds
    /// the outcomes `not-found` and `gone`, so every field is copied (v1's `refusal` and `role` are v2's types: the
    /// generator shares a nested type whose schema did not change) and a v1 outcome (`allowed` or
    /// `refused`) stands — a v1 lookup that found nothing to serve says so by its status (404, 410).
    public init(upcasting v1: AccessRecorded.V1) {
        let outcome: Outcome =
            switch v1.outcome {
            case .allowed: .allowed
            case .refused: .refused
            }
        self.init(
            action: v1.action, outcome: outcome, status: v1.status, refusal: v1.refusal, tokenId: v1.tokenId,
            role: v1.role,
            caseId: v1.caseId, youthRef: v1.youthRef, requestId: v1.requestId)
    }
}
