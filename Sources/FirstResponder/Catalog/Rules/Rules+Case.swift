public import EventStore

// Rules beyond the schema (docs/EVENTS.md) for the intake, 72-hour, training and timer events.

extension YouthIdentityLinked {
    /// A youth is linked to another reference, not to itself.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if sameAsYouthRef == youthRef {
            throw .rule("/data/sameAsYouthRef", "sameAsYouthRef must differ from youthRef")
        }
    }
}

extension ProtocolWindowClosed {
    /// The protocol window is exactly 72 hours from contact.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if windowEndsAt != contactAt.adding(seconds: 72 * 3600) {
            throw .rule("/data/windowEndsAt", "windowEndsAt must be exactly contactAt + 72 h")
        }
    }
}

extension ParentProgramCohortCompleted {
    /// No more completers than participants.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if completers > participants { throw .rule("/data/completers", "completers cannot exceed participants") }
    }
}

extension TimerFired {
    /// A timer fires at or after its due time.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if occurredAt < dueAt { throw .rule("/occurredAt", "a timer fires at or after its dueAt") }
    }
}
