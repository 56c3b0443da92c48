import EventStore

extension ChangePolicy {
    func decide(_ context: CommandContext) throws -> Decision {
        let current = try context.policy()
        guard DispatchPolicies.version(change.policyVersion) != nil else {
            let known = DispatchPolicies.all.map { String($0.version) }.joined(separator: ", ")
            throw CommandRejection(
                .invalidPolicyVersion,
                "the code has no dispatch policy version \(change.policyVersion) (it has \(known))",
                field: "/policyVersion")
        }
        let increases =
            current.streamVersion == 0
            ? change.policyVersion >= current.version : change.policyVersion > current.version
        guard increases else {
            throw CommandRejection(
                .invalidPolicyVersion, "policy versions only increase: version \(current.version) is in force",
                field: "/policyVersion")
        }
        var decision = Decision()
        decision.append(change)
        return decision
    }
}
