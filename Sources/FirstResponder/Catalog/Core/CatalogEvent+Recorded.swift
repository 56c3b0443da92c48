public import EventStore

extension CatalogEvent {
    /// Decodes a recorded event's payload as its type's current version.
    public init(_ recorded: RecordedEvent) throws(DomainValidationError) {
        self = try recorded.payload.withValidatedBytes { (raw) throws(DomainValidationError) -> CatalogEvent in
            try CatalogEvent(
                type: recorded.type, schemaVersion: recorded.schemaVersion, payload: raw,
                encoding: recorded.payloadEncoding)
        }
    }
}
