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
/// as the events name them. Decoding is strict — unknown fields, wrong types, patterns, enums and
/// bounds are refused — and each error carries the JSON pointer of the field (`/overrideReason`).
/// ``names`` lists every command.
public enum CommandJSON {
    /// Every command with a JSON form, in the order of the catalog's areas.
    static let types: [any JSONCommand.Type] =
        IntakeCommands.types + DispatchCommands.types + ProtocolCommands.types + ClosureCommands.types
        + AccountabilityCommands.types + TrainingCommands.types + RosterCommands.types

    private static let byName: [String: any JSONCommand.Type] = Dictionary(
        uniqueKeysWithValues: types.map { ($0.name, $0) })

    /// Every command's JSON name, e.g. `report-recovery`, `assign-by-policy`.
    public static var names: [String] { types.map { $0.name } }

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
        guard let type = byName[name] else {
            throw DomainValidationError(
                .unknownType, at: "/command", "unknown command; expected one of \(names.joined(separator: ", "))")
        }
        var fields = try CommandFields(object)
        let command = try type.init(json: &fields)
        try fields.finish(name)
        return command
    }
}
