/// A dispatch decision's outcome: who is recommended in what order, and why each of the others was
/// excluded. It is what `RecommendationComputed` records.
public struct Recommendation: Sendable, Equatable {
    /// A ranked candidate.
    public struct Candidate: Sendable, Equatable {
        /// The responder.
        public var responderId: String
        /// 1 is the recommendation.
        public var rank: Int
        /// The policy's score; higher is better.
        public var score: Double
        /// Short policy codes explaining the score: `continuity`, `covers-area`, `workload:2`, …
        public var reasons: [String]
    }

    /// A responder considered and excluded.
    public struct Exclusion: Sendable, Equatable {
        /// The responder.
        public var responderId: String
        /// Why: off-shift, not-on-call, time-off, wrong-area, wrong-role, at-another-scene,
        /// deactivated, language, declined-already, timed-out-already, age-out-of-range,
        /// awol-not-served, other.
        public var reasonCode: String
        /// Detail, e.g. the other case.
        public var reason: String?
    }

    /// The policy version that decided.
    public var policyVersion: Int
    /// Candidates, best first.
    public var candidates: [Candidate]
    /// Everyone else of the roster, one entry each, in roster order.
    public var exclusions: [Exclusion]

    /// The recommended responder, if anyone is eligible.
    public var first: String? { candidates.first?.responderId }
}

extension Recommendation {
    /// The recommendation a `RecommendationComputed` records, as the policy's value.
    public init(_ recorded: RecommendationComputed) {
        self.init(
            policyVersion: recorded.policyVersion,
            candidates: recorded.candidates.map {
                Recommendation.Candidate(
                    responderId: $0.responderId.rawValue, rank: $0.rank, score: $0.score, reasons: $0.reasons)
            },
            exclusions: recorded.exclusions.map {
                Recommendation.Exclusion(
                    responderId: $0.responderId.rawValue, reasonCode: $0.reasonCode.rawValue, reason: $0.reason)
            })
    }
}
