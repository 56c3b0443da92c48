public import EventStore

/// The event catalog: every event type of the First Responder Protocol, each schema version as a
/// Swift type generated from `schemas/` (scripts/generate-catalog), with strict JSON decoding, JSON
/// encoding, a binary codec and upcasters from old versions to the current one.
///
/// ```swift
/// // Read a stored event as the current version, whatever version it was written at.
/// let event = try EventCatalog.decode(
///     type: view.type, schemaVersion: view.schemaVersion, payload: view.payloadBytes,
///     encoding: view.payloadEncoding)
/// if let arrest = event as? ArrestRecorded { … }
/// ```
public enum EventCatalog {
    /// Every event type, in catalog order.
    public static var entries: [CatalogEntry] { generatedEntries }

    private static let byType: [String: CatalogEntry] = Dictionary(
        uniqueKeysWithValues: generatedEntries.map { ($0.type, $0) })

    /// The type's entry, or `nil` when the catalog has no such type.
    public static func entry(for type: String) -> CatalogEntry? { byType[type] }

    /// The type's entry, or an ``DomainValidationError/Code/unknownType`` error at `/type`.
    public static func requireEntry(for type: String) throws(DomainValidationError) -> CatalogEntry {
        guard let entry = byType[type] else {
            throw DomainValidationError(
                .unknownType, at: "/type", "unknown event type; expected one of the catalog's \(byType.count) types")
        }
        return entry
    }

    /// The version's details, or an ``DomainValidationError/Code/unknownSchemaVersion`` error at
    /// `/schemaVersion`.
    static func requireVersion(
        _ entry: CatalogEntry, _ schemaVersion: UInt16
    ) throws(DomainValidationError) -> CatalogEntry.Version {
        guard let version = entry.version(schemaVersion) else {
            throw DomainValidationError(
                .unknownSchemaVersion, at: "/schemaVersion",
                "\(entry.type) has no schema version \(schemaVersion) (it has 1 to \(entry.currentVersion))")
        }
        return version
    }

    // MARK: - Decoding stored payloads

    /// Decodes a stored payload as the type's **current** version, upcasting older versions
    /// (v1 → v2 → …). JSON payloads are validated against their version's schema; binary payloads
    /// are checked for structure.
    public static func decode(
        type: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer, encoding: PayloadEncoding
    ) throws(DomainValidationError) -> any DomainEvent {
        let entry = try requireEntry(for: type)
        let version = try requireVersion(entry, schemaVersion)
        let event = try decode(version, payload: payload, encoding: encoding)
        return version.upcastToCurrent?(event) ?? event
    }

    /// Decodes a stored payload as the version it was written at (no upcasting).
    public static func decodeAsStored(
        type: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer, encoding: PayloadEncoding
    ) throws(DomainValidationError) -> any DomainEvent {
        let entry = try requireEntry(for: type)
        return try decode(try requireVersion(entry, schemaVersion), payload: payload, encoding: encoding)
    }

    /// Decodes the payload of a recorded event as the current version.
    public static func decode(_ event: RecordedEvent) throws(DomainValidationError) -> any DomainEvent {
        try event.payload.withValidatedBytes { (raw) throws(DomainValidationError) -> any DomainEvent in
            try decode(
                type: event.type, schemaVersion: event.schemaVersion, payload: raw, encoding: event.payloadEncoding)
        }
    }

    /// Converts any version of a type to its current version.
    public static func upcast(_ event: any DomainEvent) throws(DomainValidationError) -> any DomainEvent {
        let entry = try requireEntry(for: event.eventType)
        let version = try requireVersion(entry, event.schemaVersion)
        return version.upcastToCurrent?(event) ?? event
    }

    private static func decode(
        _ version: CatalogEntry.Version, payload: UnsafeRawBufferPointer, encoding: PayloadEncoding
    ) throws(DomainValidationError) -> any DomainEvent {
        switch encoding {
        case .binary:
            var reader = BinaryReader(payload)
            let event = try version.swiftType.init(binary: &reader)
            try reader.expectEnd()
            return event
        case .json:
            return try version.swiftType.init(json: try JSONValue(parsing: payload))
        case .bytes:
            throw DomainValidationError(
                .unsupportedEncoding, "the payload is opaque bytes, not a catalog encoding (json or binary)")
        }
    }

    // MARK: - Streams

    /// Checks that `event` belongs in `stream` by its type's naming rule; the error is at `/stream`.
    public static func checkStream(_ stream: String, for event: any DomainEvent) throws(DomainValidationError) {
        let expected = event.streamName
        guard stream == expected else {
            throw DomainValidationError(
                .stream, at: "/stream", "\(event.eventType) belongs in stream \(expected)")
        }
    }
}
