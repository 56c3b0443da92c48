public import EventStore

// Rules beyond the schema (docs/EVENTS.md) for the roster events.

extension ShiftScheduled {
    /// A shift ends after it starts.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if endsAt <= startsAt { throw .rule("/data/endsAt", "endsAt must be after startsAt") }
    }
}

extension TimeOffRecorded {
    /// Time off ends after it starts.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if endsAt <= startsAt { throw .rule("/data/endsAt", "endsAt must be after startsAt") }
    }
}

extension ShiftSwapped {
    /// A shift passes to another responder.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if toResponderId == fromResponderId {
            throw .rule("/data/toResponderId", "toResponderId must differ from fromResponderId")
        }
    }
}

extension ResponderRegistered {
    /// The age range served is not empty.
    public func validateRules(occurredAt: Timestamp) throws(DomainValidationError) {
        if let servesAges, servesAges.min > servesAges.max {
            throw .rule("/data/servesAges/max", "servesAges.max must be >= servesAges.min")
        }
    }
}
