public import EventStore
public import Foundation

/// A value of the catalog: an event's payload or an object nested in one. Generated from the
/// schemas by scripts/generate-catalog.
public protocol CatalogObject: Sendable, Hashable {
    /// Decodes and validates a JSON value against the schema: required fields, no unknown fields,
    /// types, patterns, formats, enums, bounds, item rules and the schema's `if`/`then` rules.
    /// Errors carry the JSON pointer of the offending field, relative to this value.
    init(json: JSONValue) throws(DomainValidationError)
    /// Writes the JSON form: fields in the schema's order, absent optionals omitted.
    func encodeJSON(into writer: inout JSONWriter)
    /// Checks a value built in Swift as decoding its JSON form checks it — the same refusal (code,
    /// message, pointer relative to this value) — without writing and reading that form.
    func validateSchema() throws(DomainValidationError)
    /// Reads the binary form (see BinaryWriter.swift), checking structure only.
    init(binary reader: inout BinaryReader) throws(DomainValidationError)
    /// Writes the binary form.
    func encode(into writer: inout BinaryWriter)
}

/// One event type at one schema version: the `data` of an event, as a Swift value.
///
/// The current version of a type has the type's name (`ArrestRecorded`); older versions nest in it
/// (`ArrestRecorded.V1`) and are read through upcasters (``EventCatalog/decode(type:schemaVersion:payload:encoding:)``).
public protocol DomainEvent: CatalogObject {
    /// The event type's name in the log, e.g. `RecoveryReported`.
    static var eventType: String { get }
    /// The schema version this Swift type follows.
    static var schemaVersion: UInt16 { get }
    /// The stream the event belongs in, by the type's naming rule (`x-vigil-stream`).
    var streamName: String { get }
    /// Checks the rules beyond the schema (docs/EVENTS.md, *Rules beyond the schema*). Pointers are
    /// those of an import line (`/data/endsAt`, `/occurredAt`), since some rules compare the
    /// payload with the envelope's `occurredAt`.
    func validateRules(occurredAt: Timestamp) throws(DomainValidationError)
    /// The event as one value of the catalog (an older version upcast to its type's current one):
    /// generated per type, so a fold switches over it without casting the existential.
    var catalogEvent: CatalogEvent { get }
}

extension DomainEvent {
    /// The event type's name.
    public var eventType: String { Self.eventType }
    /// The schema version of this value.
    public var schemaVersion: UInt16 { Self.schemaVersion }

    /// The JSON form (compact, fields in the schema's order).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        encodeJSON(into: &writer)
        return writer.bytes
    }

    /// The binary form.
    public func binaryBytes() -> [UInt8] {
        var writer = BinaryWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// The payload in `encoding` (`.bytes` is written as the binary form).
    public func payload(_ encoding: PayloadEncoding) -> [UInt8] {
        encoding == .json ? jsonBytes() : binaryBytes()
    }

    /// Decodes and validates JSON bytes (the schema only; see ``validate(occurredAt:)``).
    public init(jsonBytes: [UInt8]) throws(DomainValidationError) {
        try self.init(json: try JSONValue(parsing: jsonBytes))
    }

    /// Decodes a whole binary payload.
    public init(binaryBytes: [UInt8]) throws(DomainValidationError) {
        self = try binaryBytes.withValidatedBytes { (raw) throws(DomainValidationError) -> Self in
            var reader = BinaryReader(raw)
            let value = try Self(binary: &reader)
            try reader.expectEnd()
            return value
        }
    }

    /// Checks a value built in Swift as an import would check its JSON form: the schema
    /// (``CatalogObject/validateSchema()``, generated: the decoder's checks on the typed value, so no
    /// JSON is written and read back) and the rules beyond it. Errors point into `/data`.
    public func validate(occurredAt: Timestamp) throws(DomainValidationError) {
        do throws(DomainValidationError) {
            try validateSchema()
        } catch {
            throw error.under("data")
        }
        try validateRules(occurredAt: occurredAt)
    }

    /// Whether `other` is the same event (same type, version and fields).
    public func isEqual(to other: any DomainEvent) -> Bool {
        (other as? Self) == self
    }

    /// The event ready to append: its stream, type, schema version and payload.
    public func newEvent(
        occurredAt: Timestamp,
        actor: String,
        id: UUID? = nil,
        correlationId: UUID? = nil,
        causationId: UUID? = nil,
        metadata: [UInt8] = [],
        encoding: PayloadEncoding = .binary,
        expectedVersion: ExpectedVersion? = nil
    ) -> NewEvent {
        NewEvent(
            id: id, stream: streamName, type: Self.eventType, schemaVersion: Self.schemaVersion,
            occurredAt: occurredAt, actor: actor, correlationId: correlationId, causationId: causationId,
            metadata: metadata, payload: payload(encoding), payloadEncoding: encoding == .json ? .json : .binary,
            expectedVersion: expectedVersion)
    }
}

/// A schema enum (a closed set of codes), with the stable code the binary form stores.
public protocol CatalogEnum: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// The value's binary code: assigned once in scripts/catalog/enum-codes.json, never reused.
    var binaryCode: UInt64 { get }
    /// The value with `binaryCode`, if any.
    init?(binaryCode: UInt64)
}

/// A value of a field that may be given as `null` as well as omitted, where the two differ
/// (`ArrestCorrected.corrections.operationId`: absent keeps the operation, `null` unlinks it).
public enum Nullable<Wrapped: Hashable & Sendable>: Hashable, Sendable {
    /// The field was `null`.
    case null
    /// The field had a value.
    case value(Wrapped)

    /// The value, or `nil` for `null`.
    public var wrapped: Wrapped? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// A typed id (`CaseID`, `YouthRef`…): a string that matched its schema pattern.
protocol SchemaIdentifier: RawRepresentable, Sendable where RawValue == String {
    /// The schema's pattern.
    static var pattern: SchemaPattern { get }
    /// The schema's name for it, for messages (`caseId`).
    static var schemaName: String { get }
    /// An id known to be valid (read back from a validated binary payload).
    init(uncheckedRawValue: String)
}
