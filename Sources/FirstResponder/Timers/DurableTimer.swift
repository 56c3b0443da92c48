public import EventStore

/// A timer in the log: scheduled by a `TimerScheduled` event, ended by `TimerCancelled` or
/// `TimerFired`. While it is pending the ``TimerIndex`` holds it, keyed by due time.
public struct DurableTimer: Sendable, Equatable {
    /// Its id (`T-…`), derived from what scheduled it so a replay schedules the same timers.
    public var timerId: String
    /// What it is for: ack-timeout, advocate-on-scene, agency-on-scene, health-72, protocol-72,
    /// hotline-immediate.
    public var kind: String
    /// When it is due.
    public var dueAt: Timestamp
    /// The stream that scheduled it (and where it fires).
    public var stream: String
    /// The case, when it belongs to one.
    public var caseId: String?
    /// The response request, for dispatch timers.
    public var requestId: String?
    /// The responder, for acknowledgement timers.
    public var responderId: String?
    /// The position of the `TimerScheduled` event.
    public var scheduledAt: UInt64

    /// A timer.
    public init(
        timerId: String, kind: String, dueAt: Timestamp, stream: String, caseId: String? = nil,
        requestId: String? = nil, responderId: String? = nil, scheduledAt: UInt64
    ) {
        self.timerId = timerId
        self.kind = kind
        self.dueAt = dueAt
        self.stream = stream
        self.caseId = caseId
        self.requestId = requestId
        self.responderId = responderId
        self.scheduledAt = scheduledAt
    }
}
