import EventStore

/// A versioned, pure dispatch policy: the same request, roster and weights always give the same
/// recommendation. Every version stays in the code forever, so an audit can re-run the version that
/// decided (it must agree) or another one (what would have changed).
public protocol DispatchPolicy: Sendable {
    /// The version recorded in `RecommendationComputed.policyVersion`.
    var version: Int { get }
    /// What the policy does differently, for people.
    var summary: String { get }
    /// Ranks the roster for `request`.
    func recommend(_ request: DispatchRequest, roster: RosterSnapshot, weights: RankingWeights) -> Recommendation
}

/// Every policy version there has ever been.
public enum DispatchPolicies {
    /// All versions, oldest first.
    public static let all: [any DispatchPolicy] = [DispatchPolicyV1(), DispatchPolicyV2()]

    /// The policy with `version`, or `nil`.
    public static func version(_ version: Int) -> (any DispatchPolicy)? {
        all.first { $0.version == version }
    }

    /// The version a new county starts with, until a `PolicyChanged` event says otherwise.
    public static let initialVersion = 1
}

/// The rules both versions share: who may respond at all, and the bonuses every version gives.
enum Eligibility {
    /// The first reason `responder` cannot take `request`, or `nil`. `areaCheck` decides the area
    /// rule, which differs between versions.
    static func exclusion(
        _ responder: RosterSnapshot.Responder,
        _ request: DispatchRequest,
        _ roster: RosterSnapshot,
        areaCheck: (RosterSnapshot.Responder, RosterSnapshot.Shift) -> Bool
    ) -> Recommendation.Exclusion? {
        func exclude(_ code: String, _ detail: String? = nil) -> Recommendation.Exclusion {
            Recommendation.Exclusion(responderId: responder.id, reasonCode: code, reason: detail)
        }
        if responder.deactivated { return exclude("deactivated") }
        if responder.role != request.role {
            return exclude("wrong-role", "is \(responder.role), needed \(request.role)")
        }
        if let tried = request.alreadyTried[responder.id] { return exclude(tried) }
        if roster.isOff(responder.id, at: request.at) { return exclude("time-off") }
        guard let shift = roster.shift(of: responder.id, at: request.at) else { return exclude("off-shift") }
        if responder.status == "off-duty" { return exclude("off-shift", "status off-duty") }
        if !areaCheck(responder, shift) {
            return exclude("wrong-area", "covers \((shift.areas ?? responder.areas).joined(separator: ", "))")
        }
        if let other = responder.activeCase, other != request.caseId,
            ["assigned", "en-route", "on-scene"].contains(responder.status)
        {
            return exclude("at-another-scene", "\(responder.status) for case \(other)")
        }
        if let age = request.age, let ages = responder.servesAges, !ages.contains(age) {
            return exclude("age-out-of-range", "serves ages \(ages.lowerBound)–\(ages.upperBound)")
        }
        if request.awol && request.role == "advocate" { return exclude("awol-not-served") }
        return nil
    }

    /// Whether `responder` speaks `language` (by primary subtag: `es-MX` matches `es`).
    static func speaks(_ responder: RosterSnapshot.Responder, _ language: String) -> Bool {
        let wanted = primary(language)
        return responder.languages.contains { primary($0) == wanted }
    }

    private static func primary(_ tag: String) -> Substring {
        tag.split(separator: "-", maxSplits: 1).first?.lowercased()[...] ?? ""
    }

    /// The roster screened for `request`, in one pass in roster order: each responder's first
    /// exclusion (``exclusion(_:_:_:areaCheck:)``), then the language rule among those left — when
    /// the youth's language is known and someone left speaks it, those who do not are excluded; when
    /// nobody does, nobody is excluded for it (a responder without the language beats no
    /// responder). Returns what `admit` made of each responder left, in roster order, and every
    /// exclusion in roster order (so the record is stable), without sorting.
    static func screen<Admitted>(
        _ request: DispatchRequest,
        _ roster: RosterSnapshot,
        areaCheck: (RosterSnapshot.Responder, RosterSnapshot.Shift) -> Bool,
        admit: (RosterSnapshot.Responder) -> Admitted
    ) -> (eligible: [Admitted], exclusions: [Recommendation.Exclusion]) {
        var excluded = [Recommendation.Exclusion?](repeating: nil, count: roster.responders.count)
        var left: [(index: Int, responder: RosterSnapshot.Responder, admitted: Admitted)] = []
        for (index, responder) in roster.responders.enumerated() {
            if let exclusion = exclusion(responder, request, roster, areaCheck: areaCheck) {
                excluded[index] = exclusion
            } else {
                left.append((index, responder, admit(responder)))
            }
        }
        var eligible: [Admitted] = []
        eligible.reserveCapacity(left.count)
        if let language = request.language, left.contains(where: { speaks($0.responder, language) }) {
            for l in left {
                if speaks(l.responder, language) {
                    eligible.append(l.admitted)
                } else {
                    excluded[l.index] = .init(
                        responderId: l.responder.id, reasonCode: "language", reason: "does not speak \(language)")
                }
            }
        } else {
            eligible = left.map(\.admitted)
        }
        return (eligible, excluded.compactMap { $0 })
    }

    /// Hours since the responder's last assignment, capped at 24 (never assigned counts as 24).
    static func restedHours(_ responder: RosterSnapshot.Responder, at instant: Timestamp) -> Int {
        guard let last = responder.lastAssignedAt else { return 24 }
        return Int(min(24, max(0, last.seconds(until: instant) / 3600)))
    }

    /// Rounds a score to thousandths so it prints and compares the same on every replay.
    static func rounded(_ score: Double) -> Double { (score * 1000).rounded() / 1000 }

    /// Ranks scored candidates: score descending, then the tie-breakers, then responder id.
    static func rank(
        _ scored: [(responder: RosterSnapshot.Responder, score: Double, reasons: [String])],
        tieBreak: (RosterSnapshot.Responder, RosterSnapshot.Responder) -> Bool? = { _, _ in nil }
    ) -> [Recommendation.Candidate] {
        let sorted = scored.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if let decided = tieBreak(a.responder, b.responder) { return decided }
            return a.responder.id < b.responder.id
        }
        return sorted.enumerated().map { index, s in
            Recommendation.Candidate(
                responderId: s.responder.id, rank: index + 1, score: rounded(s.score), reasons: s.reasons)
        }
    }
}
