public import EventStore

/// A recorded dispatch decision (`RecommendationComputed`) with the inputs it was decided on,
/// rebuilt from the log: the request as the case stood just before the decision, the board as of
/// the recorded `decidedAtPosition`, and the policy parameters in force there. ``rerun(version:)``
/// runs a policy version on them: the recorded version must reproduce the recorded candidates and
/// exclusions exactly; another version shows what it would have done instead.
///
/// The inputs are built by the same code the deciding command uses (``CaseFile/dispatchRequest(_:at:)``,
/// ``RosterView``, ``PolicyView``), at the positions the decision recorded.
public struct DecisionAudit: Sendable {
    /// The decision as recorded.
    public var recorded: RecommendationComputed
    /// Where it is in the log.
    public var position: UInt64
    /// The request as the policy read it (at the decision's occurredAt).
    public var request: DispatchRequest
    /// The board as of `decidedAtPosition`.
    public var roster: RosterSnapshot
    /// The policy in force at `decidedAtPosition`.
    public var policy: PolicyView

    /// A decision with its inputs, rebuilt by a caller that folded them itself (the replay engine's
    /// one forward pass over the log, which keeps the board, the case files and the policy as it
    /// goes instead of refolding them per decision).
    public init(
        recorded: RecommendationComputed, position: UInt64, request: DispatchRequest, roster: RosterSnapshot,
        policy: PolicyView
    ) {
        self.recorded = recorded
        self.position = position
        self.request = request
        self.roster = roster
        self.policy = policy
    }

    /// Rebuilds the inputs of the `RecommendationComputed` `event` from `store`.
    public static func load(_ event: RecordedEvent, from store: EventStore) throws -> DecisionAudit {
        guard let recorded = try EventCatalog.decode(event) as? RecommendationComputed else {
            throw EventStoreError(
                .notFound, "position \(event.position) is a \(event.type), not a RecommendationComputed")
        }
        let decidedAt = UInt64(recorded.decidedAtPosition)
        let file = try CaseFile.load(recorded.caseId, from: store, throughVersion: event.version - 1)
        guard let request = file.request(recorded.requestId),
            let input = file.dispatchRequest(request, at: event.occurredAt)
        else {
            throw EventStoreError(.notFound, "case \(recorded.caseId) has no request \(recorded.requestId) before it")
        }
        return DecisionAudit(
            recorded: recorded, position: event.position, request: input,
            roster: try RosterView.load(from: store, through: decidedAt).snapshot(at: input.at, youth: input.youthRef),
            policy: try PolicyView.load(from: store, through: decidedAt))
    }

    /// The recorded decision as the policy's value.
    public var recordedRecommendation: Recommendation { Dispatching.recommendation(recorded) }

    /// Runs policy `version` (the recorded one by default) on the decision's inputs, with the
    /// weights in force then; `nil` when the code has no such version.
    public func rerun(version: Int? = nil) -> Recommendation? {
        guard let policy = DispatchPolicies.version(version ?? recorded.policyVersion) else { return nil }
        return policy.recommend(request, roster: roster, weights: self.policy.weights)
    }

    /// Whether re-running the recorded version gives exactly the recorded candidates (ids, ranks,
    /// scores, reasons) and exclusions (ids, reason codes, details), on the recorded roster version
    /// and — when the decision recorded it (v2) — the recorded parameter revision.
    public var reproduces: Bool {
        let revision = recorded.policyRevision.map { UInt64($0) == policy.revision } ?? true
        return UInt64(recorded.rosterVersion) == roster.version && revision && rerun() == recordedRecommendation
    }
}
