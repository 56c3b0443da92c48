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

    /// Checks an event of the policy stream, then folds it: the version names a ranking function the
    /// code has, and versions only increase (the first change may restate the initial version).
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        if case .policyChanged(let e) = event {
            guard DispatchPolicies.version(e.policyVersion) != nil else {
                let known = DispatchPolicies.all.map { String($0.version) }.joined(separator: ", ")
                throw RuleViolation(
                    .invalidPolicyVersion, at: "/data/policyVersion",
                    "the code has no dispatch policy version \(e.policyVersion) (it has \(known))")
            }
            let increases = version == 0 ? e.policyVersion >= view.version : e.policyVersion > view.version
            guard increases else {
                throw RuleViolation(
                    .invalidPolicyVersion, at: "/data/policyVersion",
                    "policy versions only increase: version \(view.version) is in force")
            }
        }
        fold(event, facts)
    }
}
