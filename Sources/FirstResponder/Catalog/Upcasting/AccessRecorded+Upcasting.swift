extension AccessRecorded {
    /// AccessRecorded v1 → v2 (docs/EVENTS.md, *Corrections, versioning and upcasting*): v2 only adds
    /// the outcomes `not-found` and `gone`, so every field is copied and a v1 outcome (`allowed` or
    /// `refused`) stands — a v1 lookup that found nothing to serve says so by its status (404, 410).
    public init(upcasting v1: AccessRecorded.V1) {
        let outcome: Outcome =
            switch v1.outcome {
            case .allowed: .allowed
            case .refused: .refused
            }
        let refusal: Refusal? = v1.refusal.map {
            switch $0 {
            case .noToken: .noToken
            case .invalidToken: .invalidToken
            case .revokedToken: .revokedToken
            case .roleNotAllowed: .roleNotAllowed
            }
        }
        let role: Role? = v1.role.map {
            switch $0 {
            case .dispatcher: .dispatcher
            case .responder: .responder
            case .supervisor: .supervisor
            case .analyst: .analyst
            case .auditor: .auditor
            case .admin: .admin
            case .replica: .replica
            }
        }
        self.init(
            action: v1.action, outcome: outcome, status: v1.status, refusal: refusal, tokenId: v1.tokenId, role: role,
            caseId: v1.caseId, youthRef: v1.youthRef, requestId: v1.requestId)
    }
}
