public import EventStore
import Foundation

/// One line of a domain import that passed the catalog: a plain import line, or a `vigil export`
/// line to be restored exactly, at its original position with its original `recordedAt` and hash.
public struct CheckedLine: Sendable {
    /// The line's event and envelope.
    public var line: ImportLine
    /// What to append (or, with ``restore``, to restore).
    public var newEvent: NewEvent
    /// The original position, recordedAt and hash, for an export line.
    public var restore: NewEvent.Restore? { newEvent.restore }
}

extension EventCatalog {
    /// Checks one NDJSON line of a domain import against the catalog: a plain line
    /// (`schemas/import-line.schema.json`, ``validateImportLine(_:)-([UInt8])``), or a line written by
    /// `vigil export` — recognised by its `position`, `version`, `recordedAt` or `hash` — whose event
    /// is checked the same way and restored byte for byte. Errors point at the line's field.
    public static func checkLine(_ bytes: [UInt8]) throws(DomainValidationError) -> CheckedLine {
        let json = try JSONValue(parsing: bytes)
        let exported = json.objectValue.map { o in
            o["position"] != nil || o["recordedAt"] != nil || o["hash"] != nil || o["version"] != nil
        }
        guard exported == true else {
            let line = try validateImportLine(json)
            return CheckedLine(line: line, newEvent: line.newEvent(encoding: .binary))
        }
        return try checkExportLine(bytes)
    }

    /// An export line: the store's envelope (EventLine) plus the catalog's checks of its event.
    private static func checkExportLine(_ bytes: [UInt8]) throws(DomainValidationError) -> CheckedLine {
        let parsed: EventLine.Parsed
        do {
            parsed = try EventLine.parse(bytes)
        } catch {
            throw DomainValidationError(
                .type, at: error.field.isEmpty ? "" : "/" + error.field.replacingOccurrences(of: ".", with: "/"),
                error.message)
        }
        guard let exported = parsed.exported, let position = exported.position, let recordedAt = exported.recordedAt,
            let id = parsed.event.id
        else {
            throw DomainValidationError(
                .required, at: "/recordedAt", "an export line is restored exactly: it needs position, recordedAt and id"
            )
        }
        var event = parsed.event
        guard event.payloadEncoding != .bytes else {
            throw DomainValidationError(
                .unsupportedEncoding, at: "/dataEncoding",
                "opaque bytes are not a domain event; restore them with vigil import --raw")
        }
        guard ImportLineEnvelope.personRefPattern.matches(event.actor) else {
            throw DomainValidationError(.pattern, at: "/actor", "expected a staff reference such as user:dispatcher-7")
        }
        let validated = try validateImportLine(
            type: event.type, schemaVersion: event.schemaVersion, stream: event.stream, occurredAt: event.occurredAt,
            data: event.payload)
        if parsed.dataNeedsDomainEncoding { event.payload = validated.event.binaryBytes() }
        event.restore = NewEvent.Restore(position: position, recordedAt: recordedAt, hash: exported.hash)
        let metadata: JSONObject? =
            event.metadata.isEmpty ? nil : (try? JSONValue(parsing: event.metadata))?.objectValue
        let line = ImportLine(
            stream: event.stream, id: id, expectedVersion: nil, occurredAt: event.occurredAt, actor: event.actor,
            correlationId: event.correlationId, causationId: event.causationId, metadata: metadata,
            validated: validated)
        return CheckedLine(line: line, newEvent: event)
    }
}
