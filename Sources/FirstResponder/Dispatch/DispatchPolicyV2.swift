/// Policy version 2 weighs **distance**. Version 1 only considers responders who cover the
/// recovery's own Service Planning Area, so a quiet neighbouring area's free advocate is never asked
/// while the local one is busy. Version 2 also considers responders of adjacent areas, with a penalty
/// per area crossed (weight `distance`, default 15), prefers the recovery's own station more strongly
/// (+10), and prefers a responder on duty over one on call (−5 for on call: they travel from home).
/// Ties go to the lighter workload, then the longer rested.
public struct DispatchPolicyV2: DispatchPolicy {
    public let version = 2
    public let summary = "adjacent areas allowed with a distance penalty; station +10; on duty before on call"

    /// The policy.
    public init() {}

    public func recommend(_ request: DispatchRequest, roster: RosterSnapshot, weights: RankingWeights) -> Recommendation
    {
        let distanceWeight = weights.extra["distance"] ?? 15
        var hops = Int.max
        let screened = Eligibility.screen(request, roster) { r, shift in
            hops = ServicePlanningAreas.hops(from: shift.areas ?? r.areas, to: request.area)
            return hops <= 1
        } admit: { responder in
            (responder, hops: hops, onCall: roster.shift(of: responder.id, at: request.at)?.onCall ?? false)
        }
        let scored = screened.eligible.map {
            r, hops, onCall -> (responder: RosterSnapshot.Responder, score: Double, reasons: [String]) in
            var score = 0.0
            var reasons = [hops == 0 ? "covers-area" : "adjacent-area:\(hops)"]
            if r.youthServed.contains(request.youthRef) {
                score += weights.continuity
                reasons.append("continuity")
            }
            if let lang = request.language, Eligibility.speaks(r, lang) { reasons.append("speaks-language") }
            if r.stations.contains(request.station) {
                score += 10
                reasons.append("covers-station")
            }
            score -= distanceWeight * Double(hops)
            if onCall {
                score -= 5
                reasons.append("on-call")
            }
            score -= weights.workload * Double(r.openAssignments)
            reasons.append("workload:\(r.openAssignments)")
            let rested = Eligibility.restedHours(r, at: request.at)
            score += weights.rotation * Double(rested)
            reasons.append("rotation:\(rested)")
            return (r, score, reasons)
        }
        let candidates = Eligibility.rank(scored) { a, b in
            if a.openAssignments != b.openAssignments { return a.openAssignments < b.openAssignments }
            let ra = Eligibility.restedHours(a, at: request.at)
            let rb = Eligibility.restedHours(b, at: request.at)
            return ra != rb ? ra > rb : nil
        }
        return Recommendation(
            policyVersion: version, candidates: candidates, exclusions: screened.exclusions)
    }
}
