public import EventStore
public import FirstResponder

/// Audits every recorded dispatch decision in **one forward pass** over the log.
///
/// Each `RecommendationComputed` is re-run (``DecisionAudit``) on what it read: the board as of its
/// `decidedAtPosition`, the case as its stream stood just before it, and the policy in force at
/// that position. The pass keeps all three as it goes — the case files folded event by event, the
/// board folded a little behind the scan (a command's own earlier events in the same append come
/// after the position it decided at, so the board waits for the decisions that read it) — instead
/// of refolding the board from position 1 for every decision.
///
/// Its memory does not grow with the log: it keeps a bounded number of case files
/// (``caseFileLimit``), one chunk of the log's pages, and a board that forgets the shifts which
/// ended more than ``shiftRetention`` before the latest decision (a decision made at an instant one
/// of them covered — entered that late — is audited on a board refolded from the start instead).
public struct DecisionAuditPass {
    /// The store.
    public let store: EventStore
    /// Only decisions made at or after this.
    public var from: Timestamp?
    /// Only decisions made before this.
    public var to: Timestamp?
    /// Another policy version to run over the same history.
    public var alternative: Int?
    /// How many events the board may lag behind the scan.
    public var lag = 4_096
    /// Case files kept in memory. Past twice as many, all but the most recently folded are dropped,
    /// and a case that comes up again is read back from its stream as it stood (the pass's memory
    /// does not grow with the log).
    public var caseFileLimit = 4_096
    /// How long after a shift ends the board keeps it: shifts that ended longer than this before
    /// the latest decision seen are forgotten (``RosterView/forgetShifts(endedAtOrBefore:)``), and a
    /// decision at an instant one of them covered is audited on a board refolded from position 1.
    public var shiftRetention: Int64 = 90 * 86_400
    /// Events scanned between two looks for shifts to forget.
    public var forgetInterval = 65_536
    /// At most this many mismatches are kept in the report with both answers; the rest are only
    /// counted (`decisions - reproduced`). A benchmark sets it, to measure the pass rather than the
    /// size of its answer; `audit decisions` keeps every one.
    public var mismatchesKept = Int.max
    /// Told, each time the board forgets ended shifts, how many it keeps and how many it has
    /// forgotten in all.
    public var forgot: ((_ kept: Int, _ forgotten: Int) -> Void)?

    /// A pass over `store`.
    public init(store: EventStore, from: Timestamp? = nil, to: Timestamp? = nil, alternative: Int? = nil) {
        self.store = store
        self.from = from
        self.to = to
        self.alternative = alternative
    }

    private struct Pending {
        var position: UInt64
        var event: CatalogEvent
        var stream: String
        var version: UInt64
        var occurredAt: Timestamp
    }

    private struct State {
        var roster = RosterView()
        var rosterPosition: UInt64 = 0
        var queue: [Pending] = []
        var queueStart = 0
        var files: [CaseID: CaseFile] = [:]
        var policies: [(position: UInt64, change: PolicyChanged, version: UInt64)] = []
        var report: DecisionAuditReport
        var changes: [DecisionAuditReport.Change] = []
        var openChanges: [String: [Int]] = [:]
        /// The latest instant a decision was made at.
        var latestDecision: Timestamp?
        /// The instants forgotten shifts covered: the board cannot answer for them.
        var forgotten = Spans()
        var forgottenShifts = 0
        var scanned = 0
    }

    /// Runs the pass through `position` (the head by default); `progress` is told (position, target).
    public func run(through position: UInt64? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws
        -> DecisionAuditReport
    {
        let target = try position ?? store.head().position
        if let alternative, DispatchPolicies.version(alternative) == nil {
            throw EventStoreError(
                .invalidEvent,
                "--policy: no policy version \(alternative) in this build (it has "
                    + "\(DispatchPolicies.all.map { "v\($0.version)" }.joined(separator: ", ")))")
        }
        let head = target == 0 ? nil : try store.event(at: target)
        var state = State(
            report: DecisionAuditReport(
                position: target, chainHead: head?.hashHex ?? String(repeating: "0", count: 64),
                from: from?.rfc3339, to: to?.rfc3339, decisions: 0, reproduced: 0, mismatches: [], refolded: 0,
                reread: 0,
                whatIf: nil))
        // The pass never reads a page of the log twice: it holds one chunk's pages at a time.
        try store.scanReleasingPages(
            through: target, reached: { progress?($0, target) },
            { view in
                guard let event = try? CatalogEvent(view) else { return }
                try step(event, view, &state)
            })
        if let alternative {
            state.report.whatIf = whatIf(alternative, state.changes, compared: state.report.decisions)
        }
        return state.report
    }

    private func step(_ event: CatalogEvent, _ view: EventView, _ state: inout State) throws {
        let position = view.position
        state.scanned += 1
        if state.scanned % max(1, forgetInterval) == 0 { forgetEndedShifts(&state) }
        if let caseId = event.caseId, event.caseEventKind != nil, state.files[caseId] == nil, view.version > 1 {
            // Dropped (``caseFileLimit``): read back, through the event before this one.
            state.files[caseId] = try CaseFile.load(caseId, from: store, throughVersion: view.version - 1)
            state.report.reread += 1
        }
        if case .recommendationComputed(let decision) = event {
            try audit(decision, at: position, occurredAt: view.occurredAt, &state)
        }
        if case .policyChanged(let change) = event { state.policies.append((position, change, view.version)) }
        if case .responderArrived(let e) = event, let indices = state.openChanges[e.requestId.rawValue] {
            for i in indices where state.changes[i].actualOnSceneSeconds == nil {
                if let file = state.files[e.caseId], let request = file.request(e.requestId) {
                    state.changes[i].actualOnSceneSeconds = Int(request.requestedAt.seconds(until: view.occurredAt))
                }
            }
            state.openChanges[e.requestId.rawValue] = nil
        }
        if let caseId = event.caseId, event.caseEventKind != nil {
            // In place: a file taken out and put back would copy its arrays and sets on every event.
            state.files[caseId, default: CaseFile(caseId: caseId)].apply(
                event, position: position, version: view.version, occurredAt: view.occurredAt)
            if state.files.count > 2 * max(1, caseFileLimit) { dropCaseFiles(&state) }
        }
        // The board is folded as the commands fold it (`RosterView.apply(_:)`): only the types it folds.
        guard RosterView.folds(event) else { return }
        state.queue.append(
            Pending(
                position: position, event: event, stream: view.stream, version: view.version,
                occurredAt: view.occurredAt))
        if state.queue.count - state.queueStart > lag { advanceRoster(&state, through: position - UInt64(lag)) }
    }

    /// Forgets the board's shifts that ended ``shiftRetention`` before the latest decision.
    private func forgetEndedShifts(_ state: inout State) {
        guard let latest = state.latestDecision else { return }
        let spans = state.roster.forgetShifts(
            endedAtOrBefore: Timestamp(microseconds: latest.microseconds &- shiftRetention &* 1_000_000))
        guard !spans.isEmpty else { return }
        state.forgotten.insert(spans)
        state.forgottenShifts += spans.count
        forgot?(state.roster.shifts.count, state.forgottenShifts)
    }

    /// Keeps the ``caseFileLimit`` case files folded most recently.
    private func dropCaseFiles(_ state: inout State) {
        let kept = state.files.values.map(\.lastPosition).sorted(by: >)[max(1, caseFileLimit) - 1]
        state.files = state.files.filter { $0.value.lastPosition >= kept }
    }

    /// Folds queued events into the board through `position`.
    private func advanceRoster(_ state: inout State, through position: UInt64) {
        while state.queueStart < state.queue.count, state.queue[state.queueStart].position <= position {
            let p = state.queue[state.queueStart]
            state.roster.apply(p.event, stream: p.stream, version: p.version, occurredAt: p.occurredAt)
            state.rosterPosition = p.position
            state.queueStart += 1
        }
        // Folded events are dropped once there are as many as the board may lag behind (about as
        // many as are left): each event is moved about once, and the queue holds two lags' worth of
        // decoded events, not 65,536 more (15 of the pass's 146 MiB anonymous at 1M events).
        if state.queueStart > max(lag, 1_024) {
            state.queue.removeFirst(state.queueStart)
            state.queueStart = 0
        }
    }

    private func policy(at position: UInt64, _ state: State) -> PolicyView {
        var view = PolicyView.initial
        for p in state.policies where p.position <= position {
            view.apply(p.change, position: p.position, version: p.version)
        }
        return view
    }

    private func audit(
        _ decision: RecommendationComputed, at position: UInt64, occurredAt: Timestamp, _ state: inout State
    ) throws {
        state.latestDecision = max(state.latestDecision ?? occurredAt, occurredAt)
        if let from, occurredAt < from { return }
        if let to, occurredAt >= to { return }
        let decidedAt = UInt64(decision.decidedAtPosition)
        let roster: RosterView
        // The board as the pass keeps it, unless it is behind the position read or has forgotten a
        // shift that covered the decision's instant (the policy reads the board at `occurredAt`).
        if decidedAt >= state.rosterPosition && !state.forgotten.contains(occurredAt) {
            advanceRoster(&state, through: decidedAt)
            roster = state.roster
        } else {
            roster = try RosterView.load(from: store, through: decidedAt)
            state.report.refolded += 1
        }
        guard let file = state.files[decision.caseId], let request = file.request(decision.requestId),
            let input = file.dispatchRequest(request, at: occurredAt)
        else {
            state.report.decisions += 1
            keep(
                mismatch(decision, position, occurredAt, ["the case has no such request before the decision"], nil),
                &state)
            return
        }
        let audit = DecisionAudit(
            recorded: decision, position: position, request: input,
            roster: roster.snapshot(at: input.at, youth: input.youthRef),
            policy: policy(at: decidedAt, state))
        state.report.decisions += 1
        if audit.reproduces {
            state.report.reproduced += 1
        } else {
            var differences: [String] = []
            let rerun = audit.rerun()
            if UInt64(decision.rosterVersion) != audit.roster.version { differences.append("roster version") }
            if let rerun {
                if rerun.candidates != audit.recordedRecommendation.candidates { differences.append("candidates") }
                if rerun.exclusions != audit.recordedRecommendation.exclusions { differences.append("exclusions") }
            } else {
                differences.append("policy version \(decision.policyVersion) unknown")
            }
            keep(
                mismatch(decision, position, occurredAt, differences, rerun.map { answer($0, audit.roster.version) }),
                &state)
        }
        if let alternative, let other = audit.rerun(version: alternative) {
            let recordedFirst = audit.recordedRecommendation.first
            guard other.first != recordedFirst else { return }
            let travel = audit.policy.travel
            func estimate(_ id: String?) -> Int? {
                guard let id, let r = audit.roster.responders.first(where: { $0.id == id }) else { return nil }
                let shift = audit.roster.shift(of: id, at: input.at)
                return travel.seconds(from: shift?.areas ?? r.areas, to: input.area, onCall: shift?.onCall ?? false)
            }
            let effect = estimate(other.first).flatMap { alt in estimate(recordedFirst).map { alt - $0 } }
            state.openChanges[decision.requestId.rawValue, default: []].append(state.changes.count)
            state.changes.append(
                DecisionAuditReport.Change(
                    position: position, caseId: decision.caseId.rawValue, requestId: decision.requestId.rawValue,
                    recordedFirst: recordedFirst, alternativeFirst: other.first, actualOnSceneSeconds: nil,
                    thresholdSeconds: Int(request.requestedAt.seconds(until: request.deadlineAt)),
                    estimatedEffectSeconds: effect))
        }
    }

    private func keep(_ mismatch: DecisionAuditReport.Decision, _ state: inout State) {
        if state.report.mismatches.count < mismatchesKept { state.report.mismatches.append(mismatch) }
    }

    private func mismatch(
        _ d: RecommendationComputed, _ position: UInt64, _ at: Timestamp, _ differences: [String],
        _ rerun: DecisionAuditReport.Answer?
    ) -> DecisionAuditReport.Decision {
        DecisionAuditReport.Decision(
            position: position, caseId: d.caseId.rawValue, requestId: d.requestId.rawValue, decidedAt: at.rfc3339,
            decidedAtPosition: UInt64(d.decidedAtPosition), policyVersion: d.policyVersion, differences: differences,
            recorded: answer(Recommendation(d), UInt64(d.rosterVersion)), rerun: rerun)
    }

    private func answer(_ r: Recommendation, _ rosterVersion: UInt64) -> DecisionAuditReport.Answer {
        DecisionAuditReport.Answer(
            rosterVersion: rosterVersion,
            candidates: r.candidates.map { "\($0.responderId) (\($0.score): \($0.reasons.joined(separator: ", ")))" },
            exclusions: r.exclusions.map { "\($0.responderId) \($0.reasonCode)" + ($0.reason.map { ": \($0)" } ?? "") })
    }

    private func whatIf(_ version: Int, _ changes: [DecisionAuditReport.Change], compared: Int)
        -> DecisionAuditReport.WhatIf
    {
        let effects = changes.filter { $0.actualOnSceneSeconds != nil }.compactMap(\.estimatedEffectSeconds).sorted()
        var wouldBreach = 0
        var wouldMeet = 0
        for change in changes {
            guard let actual = change.actualOnSceneSeconds, let effect = change.estimatedEffectSeconds else { continue }
            let estimated = actual + effect
            if actual <= change.thresholdSeconds && estimated > change.thresholdSeconds { wouldBreach += 1 }
            if actual > change.thresholdSeconds && estimated <= change.thresholdSeconds { wouldMeet += 1 }
        }
        return DecisionAuditReport.WhatIf(
            policyVersion: version, compared: compared, different: changes.count,
            medianEffectSeconds: effects.isEmpty ? nil : effects[(effects.count + 1) / 2 - 1],
            meanEffectSeconds: effects.isEmpty ? nil : effects.reduce(0, +) / effects.count, wouldBreach: wouldBreach,
            wouldMeet: wouldMeet, changes: changes)
    }
}
