extension ArrestRecorded {
    /// The arrest with `corrections` applied: each field an `ArrestCorrected` names is replaced
    /// whole; an `operationId` of `null` unlinks the operation.
    public mutating func apply(_ c: ArrestCorrected.Corrections) {
        if let v = c.role { role = v }
        if let v = c.agency { agency = v }
        if let v = c.agencyName { agencyName = v }
        if let v = c.station { station = v }
        if let v = c.area { area = v }
        if let v = c.arrestedAt { arrestedAt = v }
        if let v = c.linkedCaseIds { linkedCaseIds = v }
        if let v = c.charges { charges = v }
        if let v = c.operationId { operationId = v.wrapped }
    }
}
