extension ArrestRecorded {
    /// ArrestRecorded v1 → v2 (docs/EVENTS.md, *Corrections, versioning and upcasting*): v2 only adds
    /// the optional `operationId`, so every field is copied and `operationId` stays absent — a v1
    /// arrest names no operation; `ArrestCorrected` can link one later.
    public init(upcasting v1: ArrestRecorded.V1) {
        self.init(
            arrestId: v1.arrestId, role: v1.role, agency: v1.agency, agencyName: v1.agencyName, station: v1.station,
            area: v1.area, arrestedAt: v1.arrestedAt, linkedCaseIds: v1.linkedCaseIds, charges: v1.charges,
            operationId: nil)
    }
}
