import EventStore

extension PlaceLegalHold {
    /// A hold on a reported case that is not sealed, under an id never used (the `legal-holds`
    /// stream's rules check both).
    func decide(_ context: CommandContext) throws -> Decision {
        _ = try context.existingCase(caseId)
        return Decision(
            LegalHoldPlaced(
                holdId: holdId, caseId: caseId, authority: authority, reason: reason, authorisedBy: authorisedBy,
                courtOrderRef: courtOrderRef))
    }
}

extension ReleaseLegalHold {
    /// The release of a standing hold (the `legal-holds` stream's rules check it stands).
    func decide(_ context: CommandContext) throws -> Decision {
        Decision(LegalHoldReleased(holdId: holdId, reason: reason, authorisedBy: authorisedBy))
    }
}
