public import EventStore
public import FirstResponder

/// One case's full timeline for an auditor: every event of its stream with both times, who acted,
/// each dispatch decision with its candidates, scores, reasons and exclusions, the timers, and what
/// the lifecycle refused — with the chain hash of every record shown checked. It shows events only:
/// a youth's identifying details live in the vault and never appear here, so a sealed record stays
/// sealed; the timeline says when and on what basis it was sealed.
public struct CaseTimeline: Codable, Sendable, Equatable {
    /// The case.
    public var caseId: String
    /// Its stream.
    public var stream: String
    /// Its events, in stream order.
    public var events: [Entry]
    /// The case as the views see it after the last event (phase, clocks).
    public var phase: String?
    /// The chain check of the records shown.
    public var chain: Chain
    /// The sealing, if the record was sealed.
    public var sealed: String?

    /// One event.
    public struct Entry: Codable, Sendable, Equatable {
        /// Its log position.
        public var position: UInt64
        /// Its version in the stream.
        public var version: UInt64
        /// Its type.
        public var type: String
        /// When it happened.
        public var occurredAt: String
        /// When the log recorded it.
        public var recordedAt: String
        /// Whether it was recorded late (``LateEntryRule``).
        public var enteredLate: Bool
        /// Who: a staff reference or a system actor.
        public var actor: String
        /// What happened, for people.
        public var summary: String
        /// Whether the case lifecycle refused it (written around the command layer; it changed nothing).
        public var refused: Bool
        /// For a dispatch decision: what it read and ranked.
        public var decision: Decision?
    }

    /// A dispatch decision on the timeline.
    public struct Decision: Codable, Sendable, Equatable {
        /// The policy version that decided.
        public var policyVersion: Int
        /// The log position it read.
        public var decidedAtPosition: UInt64
        /// The roster version it read.
        public var rosterVersion: UInt64
        /// Candidates in rank order, with score and reasons.
        public var candidates: [String]
        /// Exclusions, with the reason.
        public var exclusions: [String]
    }

    /// The chain check.
    public struct Chain: Codable, Sendable, Equatable {
        /// Records checked.
        public var checked: Int
        /// Whether every one hashed to what it stores.
        public var verified: Bool
        /// What was wrong, by position.
        public var problems: [String]
    }

    /// The timeline of `caseId` in `store`; `nil` when the case has no events.
    public static func load(_ caseId: CaseID, from store: EventStore) throws -> CaseTimeline? {
        let stream = CaseFile.stream(caseId)
        let recorded = try store.readStream(stream)
        guard !recorded.isEmpty else { return nil }
        var state = CaseState.notReported
        var entries: [Entry] = []
        var sealed: String?
        for r in recorded {
            let event = try? r.payload.withUnsafeBytes {
                try CatalogEvent(type: r.type, schemaVersion: r.schemaVersion, payload: $0, encoding: r.payloadEncoding)
            }
            var refused = false
            if let kind = event?.caseEventKind {
                switch CaseLifecycle.apply(state, kind) {
                case .success(let next): state = next
                case .failure: refused = true
                }
            }
            var decision: Decision?
            if case .recommendationComputed(let d)? = event {
                let r = Recommendation(d)
                decision = Decision(
                    policyVersion: d.policyVersion, decidedAtPosition: UInt64(d.decidedAtPosition),
                    rosterVersion: UInt64(d.rosterVersion),
                    candidates: r.candidates.map {
                        "\($0.rank). \($0.responderId) \($0.score) (\($0.reasons.joined(separator: ", ")))"
                    },
                    exclusions: r.exclusions.map {
                        "\($0.responderId): \($0.reasonCode)" + ($0.reason.map { ", \($0)" } ?? "")
                    })
            }
            if case .recordSealed(let e)? = event, sealed == nil {
                sealed = "\(r.occurredAt.rfc3339), \(e.legalBasis.rawValue), authorised by \(e.authorisedBy)"
            }
            entries.append(
                Entry(
                    position: r.position, version: r.version, type: r.type, occurredAt: r.occurredAt.rfc3339,
                    recordedAt: r.recordedAt.rfc3339,
                    enteredLate: LateEntryRule.isLate(occurredAt: r.occurredAt, recordedAt: r.recordedAt),
                    actor: r.actor, summary: event.map(TimelineText.summary) ?? "(does not decode as \(r.type))",
                    refused: refused, decision: decision))
        }
        let problems = try store.checkChain(at: recorded.map(\.position))
        return CaseTimeline(
            caseId: caseId.rawValue, stream: stream, events: entries, phase: state.phase.rawValue,
            chain: Chain(
                checked: recorded.count, verified: problems.isEmpty, problems: problems.map { "\($0.problem)" }),
            sealed: sealed)
    }
}
