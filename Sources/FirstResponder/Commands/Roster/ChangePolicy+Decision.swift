import EventStore

extension ChangePolicy {
    /// Records the change as given: the rules (``PolicyLog``) refuse a code version the code does not
    /// have, or a change that changes nothing.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(change)
        return decision
    }
}
