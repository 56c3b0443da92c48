public import EventStore
import Foundation

/// The store-level firing of due timers: for each pending timer due at or before `now`, appends
/// `TimerFired` to the timer's stream — and nothing else. The protocol's reaction to a timer (an
/// escalation, a breach, the 72-hour window closing) is the command layer's: the daemon and the
/// simulator use ``CommandHandler/handleDueTimers(_:now:skipping:actor:concurrency:before:)``, which fires and
/// reacts in one append. This stays for timers that need no reaction, and for the tests of the index. Time is an input — the daemon passes the wall clock, a replay or a test passes a
/// virtual one — so the same log and the same `now` fire the same timers.
///
/// Firing is idempotent: each `TimerFired` carries an event id derived from the timer id and its due
/// time, and occurs at the due time (not at the moment the loop got to it), so firing the same timer
/// twice (after a crash between the append and its acknowledgement, or from two daemons) sends the
/// very same event: an idempotent retry that writes nothing the second time. (The store refuses an
/// id reused for an event that differs in anything, occurredAt included.)
public struct TimerService: Sendable {
    /// The store, opened with `index` among its inline projections.
    public let store: EventStore
    /// The index.
    public let index: TimerIndex
    /// Who fires, recorded as the events' actor.
    public let actor: String

    /// A timer service.
    public init(store: EventStore, index: TimerIndex, actor: String = "system:timers") {
        self.store = store
        self.index = index
        self.actor = actor
    }

    /// Fires every timer due at or before `now`; returns the timers fired.
    @discardableResult
    public func fireDue(now: Timestamp, limit: Int = 1_000) async throws -> [DurableTimer] {
        let due = try index.due(asOf: now, limit: limit, in: store.environment)
        for timer in due {
            var w = JSONWriter()
            w.beginObject()
            w.field("timerId", timer.timerId)
            w.field("kind", timer.kind)
            w.field("dueAt", timer.dueAt.rfc3339)
            if let c = timer.caseId { w.field("caseId", c) }
            if let r = timer.requestId { w.field("requestId", r) }
            if let r = timer.responderId { w.field("responderId", r) }
            w.endObject()
            let event = NewEvent(
                id: DeterministicID.make("TimerFired \(timer.timerId) \(timer.dueAt.microseconds)", at: timer.dueAt),
                stream: timer.stream, type: "TimerFired", occurredAt: timer.dueAt, actor: actor,
                payload: w.bytes, payloadEncoding: .json)
            _ = try await store.append(AppendRequest(events: [event]))
        }
        return due
    }
}
