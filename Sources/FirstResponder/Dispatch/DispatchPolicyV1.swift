/// Policy version 1, the protocol as written: on shift, covers the request's Service Planning Area,
/// not committed to another scene, speaks the youth's language when known, **continuity first** (the
/// responder who already knows this youth), then lighter workload, then longer rest (rotation), then
/// a responder attached to the recovery's station.
public struct DispatchPolicyV1: DispatchPolicy {
    public let version = 1
    public let summary = "same area only; continuity, workload, rotation; station as a small bonus"

    /// The policy.
    public init() {}

    public func recommend(_ request: DispatchRequest, roster: RosterSnapshot, weights: RankingWeights) -> Recommendation
    {
        let screened = Eligibility.screen(request, roster) { r, shift in
            (shift.areas ?? r.areas).contains(request.area)
        } admit: {
            $0
        }
        let scored = screened.eligible.map {
            r -> (responder: RosterSnapshot.Responder, score: Double, reasons: [String]) in
            var score = 0.0
            var reasons = ["covers-area"]
            if r.youthServed.contains(request.youthRef) {
                score += weights.continuity
                reasons.append("continuity")
            }
            if let lang = request.language, Eligibility.speaks(r, lang) { reasons.append("speaks-language") }
            if r.stations.contains(request.station) {
                score += 5
                reasons.append("covers-station")
            }
            score -= weights.workload * Double(r.openAssignments)
            reasons.append("workload:\(r.openAssignments)")
            let rested = Eligibility.restedHours(r, at: request.at)
            score += weights.rotation * Double(rested)
            reasons.append("rotation:\(rested)")
            return (r, score, reasons)
        }
        return Recommendation(
            policyVersion: version, candidates: Eligibility.rank(scored),
            exclusions: screened.exclusions)
    }
}
