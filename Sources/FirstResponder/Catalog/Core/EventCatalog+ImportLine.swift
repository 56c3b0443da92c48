public import EventStore
public import Foundation

/// A domain event that passed validation: its schema, its stream rule and the rules beyond the schema.
public struct ValidatedEvent: Sendable {
    /// The schema version the payload was validated against (and is stored as).
    public var schemaVersion: UInt16
    /// The event at that version, as given.
    public var event: any DomainEvent
    /// The event converted to the type's current version (the same value when it is current).
    public var current: any DomainEvent
}

/// An import line (`schemas/import-line.schema.json`) that passed validation.
public struct ImportLine: Sendable {
    /// The stream.
    public var stream: String
    /// The event id, when the line gives one.
    public var id: UUID?
    /// The line's optimistic-concurrency check, when it gives one.
    public var expectedVersion: ExpectedVersion?
    /// When it happened in the field.
    public var occurredAt: Timestamp
    /// Who did it.
    public var actor: String
    /// The workflow it belongs to.
    public var correlationId: UUID?
    /// The event or command that caused it.
    public var causationId: UUID?
    /// The flat metadata object, when the line has one.
    public var metadata: JSONObject?
    /// The validated event.
    public var validated: ValidatedEvent

    /// The event type.
    public var type: String { validated.event.eventType }

    /// The event to append, at the schema version the line gave (old versions are stored as given
    /// and upcast on read).
    public func newEvent(encoding: PayloadEncoding = .binary) -> NewEvent {
        validated.event.newEvent(
            occurredAt: occurredAt, actor: actor, id: id, correlationId: correlationId, causationId: causationId,
            metadata: metadata.map { JSONValue.object($0).jsonBytes } ?? [], encoding: encoding,
            expectedVersion: expectedVersion)
    }
}

extension EventCatalog {
    /// Validates the domain part of a parsed import line: `data` against the type's schema at
    /// `schemaVersion` (`nil`: the current version), the stream-naming rule, and the rules beyond
    /// the schema. Pointers are the import line's (`/data/overrideReason`, `/stream`,
    /// `/schemaVersion`, `/type`).
    public static func validateImportLine(
        type: String, schemaVersion: UInt16?, stream: String, occurredAt: Timestamp, data: JSONValue
    ) throws(DomainValidationError) -> ValidatedEvent {
        let entry = try requireEntry(for: type)
        let version = try requireVersion(entry, schemaVersion ?? entry.currentVersion)
        let event: any DomainEvent
        do throws(DomainValidationError) {
            event = try version.swiftType.init(json: data)
        } catch {
            throw error.under("data")
        }
        try checkStream(stream, for: event)
        try event.validateRules(occurredAt: occurredAt)
        return ValidatedEvent(
            schemaVersion: version.schemaVersion, event: event, current: version.upcastToCurrent?(event) ?? event)
    }

    /// Validates the domain part of a parsed import line whose `data` is JSON bytes.
    public static func validateImportLine(
        type: String, schemaVersion: UInt16?, stream: String, occurredAt: Timestamp, data: [UInt8]
    ) throws(DomainValidationError) -> ValidatedEvent {
        let json: JSONValue
        do throws(DomainValidationError) {
            json = try JSONValue(parsing: data)
        } catch {
            throw error.under("data")
        }
        return try validateImportLine(
            type: type, schemaVersion: schemaVersion, stream: stream, occurredAt: occurredAt, data: json)
    }

    /// Validates a whole NDJSON import line (one line, without its newline) against
    /// `schemas/import-line.schema.json` and then its event as
    /// ``validateImportLine(type:schemaVersion:stream:occurredAt:data:)-(_,_,_,_,JSONValue)`` does.
    public static func validateImportLine(_ line: [UInt8]) throws(DomainValidationError) -> ImportLine {
        try validateImportLine(try JSONValue(parsing: line))
    }

    /// Validates a whole import line, already parsed.
    public static func validateImportLine(_ line: JSONValue) throws(DomainValidationError) -> ImportLine {
        let envelope = try ImportLineEnvelope(json: line)
        let validated = try validateImportLine(
            type: envelope.type, schemaVersion: envelope.schemaVersion, stream: envelope.stream,
            occurredAt: envelope.occurredAt, data: envelope.data)
        return ImportLine(
            stream: envelope.stream, id: envelope.id, expectedVersion: envelope.expectedVersion,
            occurredAt: envelope.occurredAt, actor: envelope.actor, correlationId: envelope.correlationId,
            causationId: envelope.causationId, metadata: envelope.metadata, validated: validated)
    }
}
