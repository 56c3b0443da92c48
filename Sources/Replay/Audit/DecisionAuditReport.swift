public import EventStore

/// What `vigil audit decisions` found: every recorded dispatch decision re-run with its recorded
/// policy version on the state it read, and, with another version, what that one would have done.
public struct DecisionAuditReport: Codable, Sendable, Equatable {
    /// The log position audited through.
    public var position: UInt64
    /// The chain hash at that position, so the audit can be reproduced.
    public var chainHead: String
    /// Decisions made at or after this (occurredAt), if limited.
    public var from: String?
    /// Decisions made before this, if limited.
    public var to: String?
    /// Decisions audited.
    public var decisions: Int
    /// Of them, re-run to exactly the recorded candidates, scores, reasons and exclusions.
    public var reproduced: Int
    /// Those that were not, with both answers.
    public var mismatches: [Decision]
    /// Decisions whose board had to be refolded from the start because they read a position further
    /// back than the pass keeps (a command that decided long before it appended), or were made at an
    /// instant a shift the pass has forgotten covered (``DecisionAuditPass/shiftRetention``).
    public var refolded: Int
    /// Case files read back from their streams: the pass keeps the most recently active ones in
    /// memory (``DecisionAuditPass/caseFileLimit``) and reads a dropped one back when its case comes
    /// up again.
    public var reread: Int
    /// Another policy version run over the same history, when asked for.
    public var whatIf: WhatIf?

    /// One decision, as recorded and as re-run.
    public struct Decision: Codable, Sendable, Equatable {
        /// Where it is in the log.
        public var position: UInt64
        /// The case.
        public var caseId: String
        /// The request.
        public var requestId: String
        /// When it was decided.
        public var decidedAt: String
        /// The log position it read.
        public var decidedAtPosition: UInt64
        /// The policy version that decided.
        public var policyVersion: Int
        /// What differs: `roster version`, `candidates`, `exclusions`, `policy version unknown`.
        public var differences: [String]
        /// The recorded answer.
        public var recorded: Answer
        /// The re-run's answer (nil when the code has no such version).
        public var rerun: Answer?
    }

    /// A ranked answer.
    public struct Answer: Codable, Sendable, Equatable {
        /// The roster version it read.
        public var rosterVersion: UInt64
        /// Candidates in rank order: `R-ADV003 (120.5: covers-area, continuity, …)`.
        public var candidates: [String]
        /// Exclusions: `R-ADV007 off-shift`.
        public var exclusions: [String]
    }

    /// Another policy version over the same history.
    public struct WhatIf: Codable, Sendable, Equatable {
        /// The version run.
        public var policyVersion: Int
        /// Decisions compared.
        public var compared: Int
        /// Decisions where it would have sent someone else first (or nobody).
        public var different: Int
        /// Of those, with an arrival recorded, the estimated change to the on-scene time in seconds
        /// (positive: later), median and mean; `nil` with none.
        public var medianEffectSeconds: Int?
        /// The mean estimated change, in seconds.
        public var meanEffectSeconds: Int?
        /// On-scene clocks that met their threshold and would, on the estimate, have breached it.
        public var wouldBreach: Int
        /// On-scene clocks that breached and would, on the estimate, have been met.
        public var wouldMeet: Int
        /// Every differing decision.
        public var changes: [Change]
    }

    /// One decision another version would have made differently.
    public struct Change: Codable, Sendable, Equatable {
        /// Where the decision is in the log.
        public var position: UInt64
        /// The case.
        public var caseId: String
        /// The request.
        public var requestId: String
        /// Who the recorded decision ranked first.
        public var recordedFirst: String?
        /// Who the other version would have sent.
        public var alternativeFirst: String?
        /// The on-scene time recorded for the request, in seconds (nil: nobody arrived).
        public var actualOnSceneSeconds: Int?
        /// Its threshold, in seconds.
        public var thresholdSeconds: Int
        /// The estimated change: the alternative's travel estimate minus the recorded responder's,
        /// both on the policy's estimate from where each was at the decision.
        public var estimatedEffectSeconds: Int?
    }
}
