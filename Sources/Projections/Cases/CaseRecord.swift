public import FirstResponder

/// One case as the views see it: everything its stream said, in the form people read — the
/// recovery, every request with each responder tried, the 72-hour milestones, closure and sealing —
/// with both times of each fact (`…At` is occurredAt, `…RecordedAt` when the log stored it) where a
/// service-level clock starts or stops, so late entries stay visible.
///
/// Times are microseconds since 1970-01-01T00:00:00Z (``Timestamp/microseconds``). The case board,
/// the response times (``ServiceLevelClocks``), the 72-hour milestones and the recoveries are all
/// computed from these records.
public struct CaseRecord: Codable, Sendable, Equatable {
    /// The case.
    public var caseId: String
    /// The youth's pseudonymous reference.
    public var youthRef: String
    /// Earlier references of the same youth (`YouthIdentityLinked`), in the order linked.
    public var linkedYouthRefs: [String] = []
    /// The law-enforcement agency of the contact.
    public var agency: String
    /// The agency's name, for independent departments.
    public var agencyName: String?
    /// The station or patrol area.
    public var station: String
    /// The Service Planning Area.
    public var area: String
    /// street, operation or online.
    public var context: String
    /// The operation, when the contact was in one.
    public var operationId: String?
    /// The youth's age at contact.
    public var ageAtContact: Int?
    /// The youth's language.
    public var language: String?
    /// Whether the youth was on AWOL status.
    public var awol: Bool
    /// When the officer came into contact with the youth: the 72-hour clocks start here.
    public var contactAt: Int64
    /// When the recovery was reported (occurredAt) and recorded.
    public var reportedAt: Int64
    /// When the log recorded the recovery.
    public var reportedRecordedAt: Int64
    /// The case lifecycle's state (phase, closure, counts).
    public var lifecycle: CaseState
    /// The first hotline referral.
    public var referral: Referral?
    /// Every response request, in the order made.
    public var requests: [Request] = []
    /// The 72-hour milestones.
    public var milestones = Milestones()
    /// Pending timers, in id order.
    public var timers: [PendingTimer] = []
    /// The placement decisions standing (decided, not voided; corrections applied), in the order
    /// decided. ``Milestones/placementAt`` and ``Milestones/placementKind`` are the first of them.
    public var placements: [Placement] = []
    /// Corrections of the recovery applied (`RecoveryCorrected`).
    public var corrections = 0
    /// Why and when the case was deemed out of scope.
    public var outOfScope: Closure?
    /// When and how the case was last closed.
    public var closed: Closure?
    /// Times the case was reopened.
    public var reopenings = 0
    /// The sealing, if the record was sealed (aggregates survive it; details stay sealed).
    public var sealed: Sealing?
    /// Thresholds in force when the case was reported, in seconds.
    public var thresholds: Thresholds
    /// Events of the stream the lifecycle refused (a stream written around the command layer).
    public var refusedEvents = 0
    /// The last position of the stream folded.
    public var lastPosition: UInt64 = 0
    /// When the last folded event happened.
    public var lastEventAt: Int64 = 0

    /// The phase.
    public var phase: CasePhase { lifecycle.phase }

    /// Whether the case is open (reported and neither closed nor sealed).
    public var isOpen: Bool { lifecycle.phase.isOpen }

    /// The hotline referral.
    public struct Referral: Codable, Sendable, Equatable {
        /// The referral number.
        public var number: String
        /// immediate, five-day, evaluated-out or information-only.
        public var category: String
        /// When it was created, and recorded.
        public var at: Int64
        /// When the log recorded it.
        public var recordedAt: Int64
        /// The HOTLINE-IMMEDIATE threshold in force then, in seconds.
        public var thresholdSeconds: Int
    }

    /// One response request and everything dispatch did for it. A request keeps its id through every
    /// re-assignment, so its on-scene clock never restarts.
    public struct Request: Codable, Sendable, Equatable {
        /// The request's id.
        public var requestId: String
        /// advocate, dcfs, probation, dmh or dhs.
        public var role: String
        /// When it was requested: the on-scene clock starts here.
        public var requestedAt: Int64
        /// When the log recorded the request.
        public var requestedRecordedAt: Int64
        /// When a responder should be on scene (the threshold is `deadlineAt - requestedAt`).
        public var deadlineAt: Int64
        /// The policy version in force.
        public var policyVersion: Int?
        /// awaiting, dispatched, on-scene, cleared or cancelled.
        public var phase = "awaiting"
        /// Every responder assigned, in order (re-assignments after escalations included).
        public var assignments: [Assignment] = []
        /// The responder who arrived.
        public var arrivedBy: String?
        /// When they arrived: the on-scene clock stops here.
        public var arrivedAt: Int64?
        /// When the log recorded the arrival.
        public var arrivedRecordedAt: Int64?
        /// When the responder cleared the scene.
        public var clearedAt: Int64?
        /// When the request was cancelled, and why.
        public var cancelled: Closure?
        /// Whether an `SLABreached` was recorded for its on-scene clock.
        public var breachRecorded = false
        /// The last escalation level reached.
        public var escalationLevel = 0

        /// The responder on it now (dispatched or on scene), if any.
        public var currentResponder: String? {
            guard phase == "dispatched" || phase == "on-scene" else { return nil }
            return assignments.last?.responderId
        }

        /// Whether nobody has reached the youth for it and it was not cancelled.
        public var isOpen: Bool { phase == "awaiting" || phase == "dispatched" }
    }

    /// One responder's turn on a request.
    public struct Assignment: Codable, Sendable, Equatable {
        /// Who.
        public var responderId: String
        /// auto or manual.
        public var mode: String
        /// The override reason of a manual assignment.
        public var overrideReason: String?
        /// When assigned.
        public var assignedAt: Int64
        /// When first notified: the acknowledgement clock starts here.
        public var notifiedAt: Int64?
        /// When the log recorded that notification.
        public var notifiedRecordedAt: Int64?
        /// Notifications sent.
        public var notifications = 0
        /// The ACKNOWLEDGE threshold in force at the notification, in seconds.
        public var ackThresholdSeconds: Int?
        /// When they acknowledged: the acknowledgement clock stops here.
        public var acknowledgedAt: Int64?
        /// When the log recorded the acknowledgement.
        public var acknowledgedRecordedAt: Int64?
        /// When they declined.
        public var declinedAt: Int64?
        /// When their acknowledgement timed out.
        public var timedOutAt: Int64?
        /// When the request escalated away from them.
        public var escalatedAt: Int64?
        /// When they set out.
        public var enRouteAt: Int64?
        /// Their estimate when setting out, in minutes.
        public var etaMinutes: Int?
    }

    /// A closure, an out-of-scope decision or a cancellation: when, what and why.
    public struct Closure: Codable, Sendable, Equatable {
        /// When.
        public var at: Int64
        /// The outcome or reason code.
        public var code: String
    }

    /// A placement decision standing.
    public struct Placement: Codable, Sendable, Equatable {
        /// When it was decided (occurredAt).
        public var at: Int64
        /// Its kind, as last corrected.
        public var kind: String
    }

    /// A sealing.
    public struct Sealing: Codable, Sendable, Equatable {
        /// When.
        public var at: Int64
        /// case or youth.
        public var scope: String
        /// The legal basis (WIC-781, WIC-786, vacatur, other).
        public var legalBasis: String
    }

    /// A timer the case is waiting on.
    public struct PendingTimer: Codable, Sendable, Equatable {
        /// Its id.
        public var timerId: String
        /// Its kind (ack-timeout, advocate-on-scene, …).
        public var kind: String
        /// When it is due.
        public var dueAt: Int64
        /// Its request, for dispatch timers.
        public var requestId: String?
    }

    /// The 72-hour milestones: the first time each was reached (occurredAt).
    public struct Milestones: Codable, Sendable, Equatable {
        /// The first hotline referral.
        public var hotlineReferralCreated: Int64?
        /// The first arrival on an advocate request.
        public var advocateOnScene: Int64?
        /// The first arrival on an agency request.
        public var agencyOnScene: Int64?
        /// Whether any agency response was requested.
        public var agencyRequested = false
        /// The first `ServicesOffered`.
        public var servicesOffered: Int64?
        /// Services offered, accepted and declined (sorted, distinct).
        public var services: [String] = []
        /// Services accepted.
        public var servicesAccepted: [String] = []
        /// The youth's first answer to the services offered (accepted or declined).
        public var servicesAnswer: String?
        /// When they first answered.
        public var servicesAnswerAt: Int64?
        /// The first medical evaluation completed or declined: HEALTH-72 stops here.
        public var healthEvaluationAt: Int64?
        /// When the log recorded it.
        public var healthEvaluationRecordedAt: Int64?
        /// completed or declined.
        public var healthEvaluation: String?
        /// The first placement decision standing (voided ones left out), and its kind as corrected.
        public var placementAt: Int64?
        /// The placement's kind.
        public var placementKind: String?
        /// The first MDT meeting.
        public var mdtMeetingAt: Int64?
        /// Every time the youth went missing.
        public var wentMissing: [Int64] = []
        /// Every time the youth returned.
        public var returned: [Int64] = []
        /// The protocol window's closing, as recorded.
        public var window: Window?
    }

    /// `ProtocolWindowClosed`: which milestones fell inside the 72 hours.
    public struct Window: Codable, Sendable, Equatable {
        /// When it closed (occurredAt).
        public var closedAt: Int64
        /// When the log recorded it.
        public var recordedAt: Int64
        /// The milestones inside the window, as recorded.
        public var hotlineReferralCreated: Bool
        /// An advocate was on scene inside the window.
        public var advocateOnScene: Bool
        /// An agency responder was on scene inside the window (`nil`: none was requested).
        public var agencyOnScene: Bool?
        /// Services were offered inside the window.
        public var servicesOffered: Bool
        /// completed, declined or not-done.
        public var healthEvaluation: String
        /// A placement was decided inside the window.
        public var placementDecided: Bool
        /// An MDT meeting was held inside the window.
        public var mdtMeetingHeld: Bool
        /// The youth went missing inside the window.
        public var wentMissingInWindow: Bool
    }

    /// Service-level thresholds, in seconds.
    public struct Thresholds: Codable, Sendable, Equatable {
        /// HEALTH-72.
        public var health72: Int
        /// PROTOCOL-72.
        public var protocol72: Int
        /// HOTLINE-IMMEDIATE.
        public var hotlineImmediate: Int
        /// ACKNOWLEDGE.
        public var acknowledge: Int

        /// The thresholds of `policy`.
        public init(_ policy: PolicyView) {
            health72 = policy.threshold(.health72)
            protocol72 = policy.threshold(.protocol72)
            hotlineImmediate = policy.threshold(.hotlineImmediate)
            acknowledge = policy.threshold(.acknowledge)
        }
    }
}
