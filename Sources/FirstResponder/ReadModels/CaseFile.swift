public import EventStore

/// One case as the command layer reads it: the fold of the case's stream (`case-<caseId>`).
///
/// It holds the lifecycle state (``CaseState``, from ``CaseLifecycle``) and the facts the commands
/// check against ids, which the lifecycle deliberately does not keep: the intake facts of the
/// recovery, every response request with its responder and ranked recommendation, the pending
/// timers, and the first time each 72-hour milestone was reached.
///
/// Events the lifecycle refuses (a stream written around the command layer, e.g. by an import) are
/// kept out of the facts too, so the facts always agree with ``state``; ``lifecycle`` lists them.
public struct CaseFile: Sendable {
    /// The case.
    public let caseId: CaseID
    /// The stream's version as folded (0: no event; the case does not exist).
    public internal(set) var version: UInt64 = 0
    /// The global position of the last event folded (0: none).
    public internal(set) var lastPosition: UInt64 = 0
    /// The lifecycle fold: state, accepted and refused events.
    public internal(set) var lifecycle = CaseLifecycle.Fold()
    /// The recovery that opened the case, with every `RecoveryCorrected` applied.
    public internal(set) var recovery: RecoveryReported?
    /// Earlier youth references this case's youth was linked to (`YouthIdentityLinked`).
    public internal(set) var linkedYouthRefs: [YouthRef] = []
    /// The first hotline referral, and when it was created.
    public internal(set) var referral: (event: HotlineReferralCreated, at: Timestamp)?
    /// Every response request, in the order they were made.
    public internal(set) var requests: [RequestFile] = []
    /// Timers scheduled and neither cancelled nor fired, by id.
    public internal(set) var pendingTimers: [TimerID: CaseTimer] = [:]
    /// Timers that fired, by id.
    public internal(set) var firedTimers: [TimerID: CaseTimer] = [:]
    /// Every timer id ever scheduled in the case.
    public internal(set) var scheduledTimerIds: Set<TimerID> = []
    /// Timers whose firing was acted on (`AckTimeoutElapsed`, `SLABreached` or `ProtocolWindowClosed`).
    public internal(set) var handledTimers: Set<TimerID> = []
    /// Services offered so far.
    public internal(set) var servicesOffered: Set<ServiceKind> = []
    /// When each 72-hour milestone was first reached.
    public internal(set) var milestones = CaseMilestones()
    /// The placement decisions standing (decided, not voided; corrections applied), in the order
    /// decided, each with when it was decided.
    public internal(set) var placements: [(decision: PlacementDecided, at: Timestamp)] = []
    /// Stored events of the stream that could not be decoded (skipped), by position.
    public internal(set) var undecodable: [UInt64] = []

    /// An empty file for `caseId` (the case before its first event).
    public init(caseId: CaseID) {
        self.caseId = caseId
    }

    /// The case's stream name.
    public var stream: String { Self.stream(caseId) }

    /// The stream name of `caseId`.
    public static func stream(_ caseId: CaseID) -> String { "case-\(caseId.rawValue)" }

    /// The lifecycle state.
    public var state: CaseState { lifecycle.state }

    /// Whether the case was reported (its stream holds a `RecoveryReported`).
    public var exists: Bool { recovery != nil }

    /// The youth's pseudonymous reference.
    public var youthRef: YouthRef? { recovery?.youthRef }

    /// The Service Planning Area of the recovery.
    public var area: Area? { recovery?.area }

    /// The station of the recovery.
    public var station: String? { recovery?.station }

    /// The youth's language, when known.
    public var language: String? { recovery?.language }

    /// The youth's age at contact, when known.
    public var ageAtContact: Int? { recovery?.ageAtContact }

    /// Whether the youth was on AWOL status at contact.
    public var awol: Bool { recovery?.awol ?? false }

    /// The law-enforcement agency that made the contact.
    public var agency: Agency? { recovery?.agency }

    /// When the officer came into contact with the youth.
    public var contactAt: Timestamp? { recovery?.contactAt }

    /// The end of the 72-hour protocol window (contact + 72 h).
    public var protocolWindowEndsAt: Timestamp? { contactAt?.adding(seconds: CaseMilestones.windowSeconds) }

    /// The request with `requestId`, if the case has it.
    public func request(_ requestId: RequestID) -> RequestFile? {
        requests.first { $0.requestId == requestId }
    }

    /// Requests nobody has reached yet and that were not cancelled.
    public var openRequests: [RequestFile] { requests.filter(\.isOpen) }

    /// Pending timers in id order (a stable order for the events that cancel them).
    public var pendingTimersInOrder: [CaseTimer] { pendingTimers.values.sorted { $0.timerId < $1.timerId } }

    /// The timer with `timerId`, pending or fired.
    public func timer(_ timerId: TimerID) -> CaseTimer? { pendingTimers[timerId] ?? firedTimers[timerId] }

    /// The part of the case id that names its requests and timers: `C-2026A00017` → `2026A00017`.
    public var key: String { String(caseId.rawValue.dropFirst(2)) }
}

/// A timer of a case, as its `TimerScheduled` set it.
public struct CaseTimer: Sendable, Hashable {
    /// The timer's id.
    public var timerId: TimerID
    /// What it is for.
    public var kind: TimerKind
    /// When it is due.
    public var dueAt: Timestamp
    /// The request it belongs to, for dispatch timers.
    public var requestId: RequestID?
    /// The responder, for acknowledgement timers.
    public var responderId: ResponderID?
    /// When it was scheduled (the event's occurredAt).
    public var scheduledAt: Timestamp
}
