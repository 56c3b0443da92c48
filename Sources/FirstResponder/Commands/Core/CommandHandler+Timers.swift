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
    ///
    /// With `concurrency` above 1 (the daemon), timers of different cases are handled up to that many
    /// at once, so timers falling due together share the writer's commits instead of waiting for one
    /// fsync each; a case's own timers stay in due order. With 1 (the default: a simulation, whose
    /// log must not depend on scheduling) they are handled one after another. A timer whose streams
    /// another command changed while it was decided is decided again (up to three times), then left
    /// for the next pass — neither handled nor refused.
    public func handleDueTimers(
        _ index: TimerIndex,
        now: Timestamp,
        skipping: Set<String> = [],
        actor: String = "system:timers",
        concurrency: Int = 1,
        before: ((DurableTimer) -> Void)? = nil
    ) async throws -> TimerPass {
        var pass = TimerPass()
        var skip = skipping
        while true {
            // Of the first skip.count + 100 due, those not skipped (passed over by their keys, unread).
            let due = try index.due(asOf: now, limit: skip.count + 100, skipping: skip, in: store.environment)
            guard !due.isEmpty else { return pass }
            for timer in due { skip.insert(timer.timerId) }
            if concurrency <= 1 {
                for timer in due {
                    before?(timer)
                    pass.record(timer, try await fire(timer, actor: actor))
                }
                continue
            }
            for timer in due { before?(timer) }
            // One lane per case, in due order; lanes run concurrently.
            var lanes: [[DurableTimer]] = []
            var laneOfCase: [String: Int] = [:]
            for timer in due {
                let key = timer.caseId ?? timer.timerId
                if let lane = laneOfCase[key] {
                    lanes[lane].append(timer)
                } else {
                    laneOfCase[key] = lanes.count
                    lanes.append([timer])
                }
            }
            let outcomes = try await withThrowingTaskGroup(of: [(DurableTimer, FireOutcome)].self) { group in
                var outcomes: [(DurableTimer, FireOutcome)] = []
                for (n, lane) in lanes.enumerated() {
                    if n >= concurrency, let done = try await group.next() { outcomes += done }
                    group.addTask {
                        var done: [(DurableTimer, FireOutcome)] = []
                        for timer in lane { done.append((timer, try await fire(timer, actor: actor))) }
                        return done
                    }
                }
                for try await done in group { outcomes += done }
                return outcomes
            }
            for (timer, outcome) in outcomes.sorted(by: { ($0.0.dueAt, $0.0.timerId) < ($1.0.dueAt, $1.0.timerId) }) {
                pass.record(timer, outcome)
            }
        }
    }

    /// What handling one due timer came to.
    fileprivate enum FireOutcome: Sendable {
        case handled
        case refused(CommandRejection)
        /// Its streams kept changing under it: left pending for the next pass.
        case deferred
    }

    /// Handles one due timer as of its due time, deciding it again when another command changed
    /// what it read in between.
    private func fire(_ timer: DurableTimer, actor: String) async throws -> FireOutcome {
        guard let caseId = timer.caseId.flatMap(CaseID.init(rawValue:)),
            let timerId = TimerID(rawValue: timer.timerId)
        else { return .deferred }
        let command = HandleTimerFired(
            caseId: caseId, timerId: timerId, envelope: CommandEnvelope(occurredAt: timer.dueAt, actor: actor))
        for attempt in 1...3 {
            do {
                _ = try await handle(command)
                return .handled
            } catch let rejection as CommandRejection {
                if rejection.code == .streamVersionConflict && attempt < 3 { continue }
                return rejection.code == .streamVersionConflict ? .deferred : .refused(rejection)
            }
        }
        return .deferred
    }
}

extension CommandHandler.TimerPass {
    fileprivate mutating func record(_ timer: DurableTimer, _ outcome: CommandHandler.FireOutcome) {
        switch outcome {
        case .handled: handled.append(timer)
        case .refused(let rejection): refused.append((timer, rejection))
        case .deferred: break
        }
    }
}
