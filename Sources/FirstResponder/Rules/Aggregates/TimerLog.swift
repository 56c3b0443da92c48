public import EventStore

/// Timers that belong to no case, as the rules read them: the fold of the `timers` stream.
public struct TimerLog: Aggregate {
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// Timers scheduled and neither cancelled nor fired, with their kind and due time.
    public internal(set) var pending: [TimerID: (kind: TimerKind, dueAt: Timestamp)] = [:]
    /// Every timer id ever scheduled.
    public internal(set) var scheduled: Set<TimerID> = []

    /// The stream of timers that belong to no case.
    public static let stream = "timers"

    init?(stream: String) {
        guard stream == Self.stream else { return nil }
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .timerScheduled(let e):
            pending[e.timerId] = (e.kind, e.dueAt)
            scheduled.insert(e.timerId)
        case .timerCancelled(let e): pending[e.timerId] = nil
        case .timerFired(let e): pending[e.timerId] = nil
        default: break
        }
    }

    /// Checks an event of the timers stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .timerScheduled(let e):
            try TimerRules.schedule(e.timerId, scheduled: scheduled.contains(e.timerId))
        case .timerCancelled(let e):
            try TimerRules.pending(e.timerId, pending[e.timerId] != nil)
        case .timerFired(let e):
            try TimerRules.fire(e, pending: pending[e.timerId])
        default:
            break
        }
        fold(event, facts)
    }
}

/// The rules of durable timers, in a case's stream or the `timers` stream.
enum TimerRules {
    /// A timer id is scheduled once.
    static func schedule(_ timerId: TimerID, scheduled: Bool) throws {
        guard !scheduled else {
            throw RuleViolation(.alreadyExists, at: "/data/timerId", "timer \(timerId) was scheduled already")
        }
    }

    /// Cancelling needs a pending timer.
    static func pending(_ timerId: TimerID, _ isPending: Bool) throws {
        guard isPending else {
            throw RuleViolation(.unknownTimer, at: "/data/timerId", "no pending timer \(timerId)")
        }
    }

    /// A timer fires once, while pending, with the kind and due time it was scheduled with.
    static func fire(_ e: TimerFired, pending: (kind: TimerKind, dueAt: Timestamp)?) throws {
        guard let pending else {
            throw RuleViolation(.unknownTimer, at: "/data/timerId", "no pending timer \(e.timerId)")
        }
        guard pending.kind == e.kind else {
            throw RuleViolation(
                .timerMismatch, at: "/data/kind",
                "timer \(e.timerId) is \(pending.kind.rawValue), not \(e.kind.rawValue)")
        }
        guard pending.dueAt == e.dueAt else {
            throw RuleViolation(
                .timerMismatch, at: "/data/dueAt", "timer \(e.timerId) is due \(pending.dueAt), not \(e.dueAt)")
        }
    }
}
