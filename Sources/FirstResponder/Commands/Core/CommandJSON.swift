import EventStore
import Foundation

/// The JSON form of commands: one object per command,
///
/// ```json
/// {"command": "assign-manually", "occurredAt": "2026-03-14T02:14:00Z", "actor": "user:dispatcher-7",
///  "caseId": "C-2026A00017", "requestId": "RQ-2026A00017-1", "responderId": "R-ADV017",
///  "overrideReason": "Knows the family from a previous placement."}
/// ```
///
/// Besides `command`, every object has `occurredAt` (RFC 3339) and `actor` (a staff reference), and
/// may have `commandId` and `correlationId` (UUIDs); the other fields are the command's own, named
/// as the events name them. The contract is each command's JSON Schema (``CommandCatalog``);
/// decoding is generated from it and strict — unknown fields, wrong types, patterns, enums, bounds
/// and the schema's if/then rules are refused — and each error carries the JSON pointer of the
/// field (`/overrideReason`).
public enum CommandJSON {
    /// Every command's JSON name, e.g. `report-recovery`, `assign-by-policy`.
    public static var names: [String] { CommandCatalog.entries.map(\.name) }

    /// Decodes one command from JSON bytes.
    public static func decode(_ bytes: [UInt8]) throws(DomainValidationError) -> any Command {
        try decode(try JSONValue(parsing: bytes))
    }

    /// Decodes one command from a parsed JSON value. A `command` that names no command fails with
    /// code ``DomainValidationError/Code/unknownType`` at `/command`.
    public static func decode(_ json: JSONValue) throws(DomainValidationError) -> any Command {
        let object = try SchemaDecoding.object(json)
        guard let nameValue = object["command"] else {
            throw DomainValidationError(.required, at: "/command", "command is required")
        }
        guard case .string(let name) = nameValue else {
            throw SchemaDecoding.typeMismatch("a string", nameValue).under("command")
        }
        guard let entry = CommandCatalog.entry(named: name) else {
            throw DomainValidationError(
                .unknownType, at: "/command", "unknown command; expected one of \(names.joined(separator: ", "))")
        }
        let envelope = try CommandEnvelope(json: object)
        return try entry.swiftType.init(json: object, envelope: envelope)
    }

    /// The JSON form of `command` (compact, the envelope first, then the fields in the schema's order).
    public static func encode(_ command: any Command) -> [UInt8]? {
        guard let command = command as? any JSONCommand else { return nil }
        var writer = JSONWriter()
        command.encodeJSON(into: &writer)
        return writer.bytes
    }
}
