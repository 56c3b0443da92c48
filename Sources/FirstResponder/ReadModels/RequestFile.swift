public import EventStore

/// One response request of a case (`ResponseRequested`) and what dispatch did with it.
///
/// A request has at most one responder at a time. It keeps its `requestId` through every
/// re-assignment, so its on-scene clock never restarts.
public struct RequestFile: Sendable {
    /// Where a request stands.
    public enum Phase: String, Sendable, Hashable {
        /// No responder on it (new, or escalated away from one).
        case awaiting
        /// A responder is assigned and has not arrived.
        case dispatched
        /// The responder arrived and has not cleared.
        case onScene = "on-scene"
        /// The responder cleared the scene.
        case cleared
        /// Withdrawn before anyone arrived.
        case cancelled
    }

    /// The request's id.
    public var requestId: RequestID
    /// Its place among the case's requests, from 1 (names its timers).
    public var number: Int
    /// The role needed.
    public var role: RequestRole
    /// When it was requested (the on-scene clock starts here).
    public var requestedAt: Timestamp
    /// When a responder should be on scene.
    public var deadlineAt: Timestamp
    /// The policy version in force when it was requested.
    public var policyVersion: Int?
    /// Where it stands.
    public var phase: Phase = .awaiting
    /// The responder on it now (dispatched or on scene).
    public var assigned: ResponderID?
    /// How the current responder was assigned.
    public var assignmentMode: ResponderAssigned.Mode?
    /// Whether the current responder acknowledged.
    public var acknowledged = false
    /// Whether the current responder is en route.
    public var enRoute = false
    /// Notifications sent to the current responder.
    public var notificationAttempts = 0
    /// When the current responder was last notified.
    public var notifiedAt: Timestamp?
    /// The pending acknowledgement timer of the current responder.
    public var ackTimerId: TimerID?
    /// Acknowledgement timers ever scheduled for this request (names the next one).
    public var ackTimersScheduled = 0
    /// The latest ranked recommendation for the request.
    public var recommendation: RecommendationComputed?
    /// Responders who declined or let the request time out, with the policy's reason code
    /// (`declined-already`, `timed-out-already`), in the order they were tried.
    public var tried: [(responderId: ResponderID, reasonCode: String)] = []
    /// Every responder ever assigned to the request, in order.
    public var assignedHistory: [ResponderID] = []
    /// The last escalation level reached (0: never escalated).
    public var escalationLevel = 0
    /// The responder who arrived, and when.
    public var arrival: (responderId: ResponderID, at: Timestamp)?
    /// Whether an on-scene breach was recorded for the request.
    public var onSceneBreached = false

    /// Whether nobody has reached the youth for this request and it was not cancelled.
    public var isOpen: Bool { phase == .awaiting || phase == .dispatched }

    /// The responders tried so far, as ``Escalation/next(after:recommendation:roster:area:at:maxEscalations:)``
    /// reads them.
    public var triedIds: Set<String> { Set(tried.map(\.responderId.rawValue)) }

    /// The on-scene timer's kind for this request's role.
    public var onSceneTimerKind: TimerKind { role == .advocate ? .advocateOnScene : .agencyOnScene }

    /// The service level its on-scene clock belongs to.
    public var onSceneServiceLevel: ServiceLevel { role == .advocate ? .advocateOnScene : .agencyOnScene }
}
