public import EventStore

extension CommandHandler {
    /// What one pass over the due timers did.
    public struct TimerPass: Sendable {
        /// Timers handled, earliest first.
        public var handled: [DurableTimer] = []
        /// Timers the protocol refused to act on, with the reason; they stay pending in the index,
        /// and a caller passes their ids back in `skipping` so they do not hold up the others.
        public var refused: [(timer: DurableTimer, rejection: CommandRejection)] = []

        /// A pass that handled nothing yet.
        public init() {}
    }

    /// Handles every case timer due at or before `now`, earliest first, each through
    /// `handle-timer-fired` (which appends its `TimerFired` and its reaction in one append: the
    /// escalation of an ack timeout, a breach, the 72-hour window closing). This is the loop the
    /// daemon runs on the wall clock and the simulator on its virtual one.
    ///
    /// Each timer is handled as of its own due time, so the log does not depend on how often the
    /// loop runs. Handling is idempotent: a timer handled already is a no-op.
    public func handleDueTimers(
        _ index: TimerIndex,
        now: Timestamp,
        skipping: Set<String> = [],
        actor: String = "system:timers",
        before: ((DurableTimer) -> Void)? = nil
    ) async throws -> TimerPass {
        var pass = TimerPass()
        var skip = skipping
        while true {
            let due = try index.due(asOf: now, limit: skip.count + 100, in: store.environment).filter {
                !skip.contains($0.timerId)
            }
            guard !due.isEmpty else { return pass }
            for timer in due {
                skip.insert(timer.timerId)
                guard let caseId = timer.caseId.flatMap(CaseID.init(rawValue:)),
                    let timerId = TimerID(rawValue: timer.timerId)
                else { continue }
                before?(timer)
                let command = HandleTimerFired(
                    caseId: caseId, timerId: timerId, envelope: CommandEnvelope(occurredAt: timer.dueAt, actor: actor))
                do {
                    _ = try await handle(command)
                    pass.handled.append(timer)
                } catch let rejection as CommandRejection {
                    pass.refused.append((timer, rejection))
                }
            }
        }
    }
}
