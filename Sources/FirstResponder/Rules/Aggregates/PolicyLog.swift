public import EventStore

/// The dispatch policy as the rules read it: the fold of the `policy` stream.
public struct PolicyLog: Aggregate {
    /// The policy in force.
    public internal(set) var view = PolicyView.initial

    /// The stream's version.
    public var version: UInt64 { view.streamVersion }

    init?(stream: String) {
        guard stream == PolicyView.stream else { return nil }
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        view.streamVersion = facts.version
        if case .policyChanged(let e) = event { view.apply(e, position: facts.position, version: facts.version) }
    }

    /// Checks an event of the policy stream, then folds it: the code version names a ranking function
    /// the code has (it may stay, move on, or go back: every version is kept), and the change changes
    /// something (each one is a new parameter revision decisions will cite).
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        if case .policyChanged(let e) = event {
            guard DispatchPolicies.version(e.policyVersion) != nil else {
                let known = DispatchPolicies.all.map { String($0.version) }.joined(separator: ", ")
                throw RuleViolation(
                    .invalidPolicyVersion, at: "/data/policyVersion",
                    "the code has no dispatch policy version \(e.policyVersion) (it has \(known))")
            }
            var next = view
            next.apply(e, position: facts.position, version: facts.version)
            if version > 0, next.changes(nothingFrom: view) {
                throw RuleViolation(
                    .policyUnchanged, at: "/data",
                    "version \(view.version) with these parameters is in force already (revision \(view.revision))")
            }
        }
        fold(event, facts)
    }
}

extension PolicyView {
    /// Whether `self` is `other` with nothing changed but the revision.
    func changes(nothingFrom other: PolicyView) -> Bool {
        version == other.version && weights == other.weights && ackTimeoutSeconds == other.ackTimeoutSeconds
            && maxEscalations == other.maxEscalations && thresholds == other.thresholds
    }
}
