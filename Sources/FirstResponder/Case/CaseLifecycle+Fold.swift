extension CaseLifecycle {
    /// An event the fold refused, and where it was in the input.
    public struct Rejection: Sendable, Hashable, CustomStringConvertible {
        /// The event's offset in the folded sequence (0 for the first).
        public let offset: Int
        /// Why it was refused.
        public let violation: LifecycleViolation

        public var description: String { "#\(offset): \(violation)" }
    }

    /// A case folded event by event: its state, the events it accepted, and those it refused.
    ///
    /// Refused events leave the state as it was, so a fold over a stream that breaks the lifecycle
    /// still ends somewhere useful, and an auditor sees every refusal by its offset.
    public struct Fold: Sendable, Hashable {
        /// The state after every accepted event.
        public private(set) var state: CaseState
        /// The accepted events, in order.
        public private(set) var accepted: [CaseEventKind] = []
        /// The refused events, in order.
        public private(set) var rejected: [Rejection] = []

        /// A fold starting from `state`.
        public init(from state: CaseState = .notReported) {
            self.state = state
        }

        /// The number of events folded so far, accepted or not.
        public var count: Int { accepted.count + rejected.count }

        /// Applies `event`: on success the state moves on, otherwise the refusal is recorded.
        @discardableResult
        public mutating func apply(_ event: CaseEventKind) -> Result<CaseState, LifecycleViolation> {
            let result = CaseLifecycle.apply(state, event)
            switch result {
            case .success(let next):
                state = next
                accepted.append(event)
            case .failure(let violation):
                rejected.append(Rejection(offset: count, violation: violation))
            }
            return result
        }
    }

    /// Folds `events` from `state` (a new case by default).
    public static func fold(_ events: some Sequence<CaseEventKind>, from state: CaseState = .notReported) -> Fold {
        var fold = Fold(from: state)
        for event in events { fold.apply(event) }
        return fold
    }
}
