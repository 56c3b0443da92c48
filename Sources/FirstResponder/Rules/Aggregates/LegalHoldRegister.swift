public import EventStore

/// The county's legal holds as the rules read them: the fold of the `legal-holds` stream.
///
/// A hold keeps a case's record from being sealed — `RecordSealed` is refused for a held case, and
/// `seal-record` for every case of a youth one of whose cases is held, naming the hold — until
/// `LegalHoldReleased`. All holds live in one stream, so a sealing (which reads it) and a hold placed
/// at the same moment cannot both be appended: one of them meets a stream version conflict and is
/// decided again.
public struct LegalHoldRegister: Aggregate {
    /// The stream every hold goes to.
    public static let stream = "legal-holds"

    /// One hold, as placed.
    public struct Hold: Sendable, Hashable {
        /// The hold's id.
        public var holdId: HoldID
        /// The case held.
        public var caseId: CaseID
        /// Why the record must be kept.
        public var authority: LegalHoldPlaced.Authority
        /// Who authorised it.
        public var authorisedBy: String
        /// The court order's reference, if any.
        public var courtOrderRef: String?
        /// When it was placed (occurredAt).
        public var placedAt: Timestamp
        /// Where it was placed in the log.
        public var position: UInt64
        /// Whether it was released.
        public var released: Bool

        /// The hold in a sentence, for the refusals that name it (ids and codes only, never the reason).
        public var summary: String {
            "legal hold \(holdId) on case \(caseId) (\(authority.rawValue)\(courtOrderRef.map { ", court order \($0)" } ?? ""), authorised by \(authorisedBy), placed \(placedAt.rfc3339) at position \(position))"
        }
    }

    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// Every hold placed, by id.
    public internal(set) var holds: [HoldID: Hold] = [:]

    init?(stream: String) {
        guard stream == Self.stream else { return nil }
    }

    /// The first standing hold (by id) on one of `caseIds`, or `nil`.
    public func standing(on caseIds: some Sequence<CaseID>) -> Hold? {
        let held = Set(caseIds)
        return holds.values.filter { !$0.released && held.contains($0.caseId) }.min { $0.holdId < $1.holdId }
    }

    /// Why sealing `caseId` is refused while `hold` stands.
    static func sealingRefused(_ caseId: CaseID, _ hold: Hold) -> String {
        "the record of case \(caseId) cannot be sealed while \(hold.summary) stands: release it first (release-legal-hold)"
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .legalHoldPlaced(let e):
            holds[e.holdId] = Hold(
                holdId: e.holdId, caseId: e.caseId, authority: e.authority, authorisedBy: e.authorisedBy,
                courtOrderRef: e.courtOrderRef, placedAt: facts.occurredAt, position: facts.position, released: false)
        case .legalHoldReleased(let e):
            holds[e.holdId]?.released = true
        default:
            break
        }
    }

    /// Checks a placement (a new id, on a reported case that is not sealed) or a release (of a
    /// standing hold), then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .legalHoldPlaced(let e):
            if let earlier = holds[e.holdId] {
                throw RuleViolation(
                    .alreadyExists, at: "/data/holdId",
                    "legal hold \(e.holdId) was placed before, at position \(earlier.position)")
            }
            let file = try log.read(CaseFile.stream(e.caseId), as: CaseFile.self)
            guard file.exists else {
                throw RuleViolation(.unknownCase, at: "/data/caseId", "case \(e.caseId) was never reported")
            }
            guard file.state.phase != .sealed else {
                let rule = LifecycleViolation.Rule.recordSealed
                throw RuleViolation(
                    RuleViolation.Rule(rule.name, rule.explanation), at: "/data/caseId",
                    "case \(e.caseId) is sealed: its personal data is destroyed, there is no record left to hold")
            }
        case .legalHoldReleased(let e):
            guard let hold = holds[e.holdId] else {
                throw RuleViolation(.unknownRecord, at: "/data/holdId", "no legal hold \(e.holdId) was placed")
            }
            guard !hold.released else {
                throw RuleViolation(.recordClosed, at: "/data/holdId", "legal hold \(e.holdId) was released already")
            }
        default:
            break
        }
        fold(event, facts)
    }
}
