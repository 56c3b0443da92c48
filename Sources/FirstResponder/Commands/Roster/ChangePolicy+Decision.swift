import EventStore

extension ChangePolicy {
    /// Records the change as given: the rules (``PolicyLog``) refuse a version the code does not have
    /// or one that does not increase.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(change)
        return decision
    }
}
