public import EventStore

extension RecoveryReported {
    /// The recovery with `corrections` applied: each corrected field replaced whole; `operationId`
    /// `null` unlinks the operation; correcting `agency` to one of the three named agencies clears
    /// `agencyName`. The rules, the command layer's case file and the views all fold corrections
    /// with this, so they count the same recovery.
    public func applying(_ corrections: RecoveryCorrected.Corrections) -> RecoveryReported {
        var r = self
        if let v = corrections.agency {
            r.agency = v
            if v != .other { r.agencyName = nil }
        }
        if let v = corrections.agencyName { r.agencyName = v }
        if let v = corrections.station { r.station = v }
        if let v = corrections.area { r.area = v }
        if let v = corrections.context { r.context = RecoveryReported.Context(rawValue: v.rawValue) ?? r.context }
        if let v = corrections.operationId { r.operationId = v.wrapped }
        if let v = corrections.ageAtContact { r.ageAtContact = v }
        return r
    }
}

extension PlacementDecided {
    /// The decision with `corrections` applied: its kind, and its reason (required for kind other,
    /// dropped otherwise when the correction gives none).
    public func applying(_ corrections: PlacementCorrected.Corrections) -> PlacementDecided {
        var d = self
        d.kind = PlacementDecided.Kind(rawValue: corrections.kind.rawValue) ?? d.kind
        d.reason = corrections.reason
        return d
    }
}

extension RecoveryCorrected.Corrections {
    /// The names of the fields corrected, in schema order (for timelines: the values stay in the log).
    public var fieldNames: [String] {
        let named: [(String, Bool)] = [
            ("agency", agency != nil), ("agencyName", agencyName != nil), ("station", station != nil),
            ("area", area != nil), ("context", context != nil), ("operationId", operationId != nil),
            ("ageAtContact", ageAtContact != nil),
        ]
        return named.filter(\.1).map(\.0)
    }
}
