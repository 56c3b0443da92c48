public import EventStore
public import Foundation

/// A command as a client sends it over HTTP (`POST /v1/commands/{name}`): the body is the command's
/// JSON object, which the edge completes — the path names the command, the caller is its `actor`,
/// the edge's clock fills a missing `occurredAt`, and an `Idempotency-Key` becomes its `commandId`.
///
/// The daemon's one way from a request body to a command; `Fuzz/HTTPBody` fuzzes it. Every refusal
/// is a ``DomainValidationError`` naming the field (`malformedJSON` for a body that is not JSON: a
/// 400; anything else: a 422), so no body can make the daemon answer 500.
public enum CommandRequest {
    /// The command the request body `body` describes, completed as above. The body may leave out
    /// `command`, `actor`, `commandId` and `occurredAt`; if it gives them, they must agree with
    /// `name`, `actor` and `commandId`.
    public static func command(
        body: [UInt8], name: String, actor: String, commandId: UUID?, now: Timestamp
    ) throws(DomainValidationError) -> any Command {
        try CommandJSON.decode(.object(object(body: body, name: name, actor: actor, commandId: commandId, now: now)))
    }

    /// ``command(body:name:actor:commandId:now:)`` as a ``DecodedCommand``, which the handler
    /// prepares without checking its schema again.
    public static func decoded(
        body: [UInt8], name: String, actor: String, commandId: UUID?, now: Timestamp
    ) throws(DomainValidationError) -> DecodedCommand {
        DecodedCommand(try command(body: body, name: name, actor: actor, commandId: commandId, now: now))
    }

    /// The command's JSON object: `body` completed with the command's name, the caller as actor,
    /// `now` for a missing `occurredAt`, and `commandId`.
    public static func object(
        body: [UInt8], name: String, actor: String, commandId: UUID?, now: Timestamp
    ) throws(DomainValidationError) -> JSONObject {
        guard !body.isEmpty else {
            throw DomainValidationError(.malformedJSON, "the body must be the command's JSON object; it is empty")
        }
        let value = try JSONValue(parsing: body)
        guard var object = value.objectValue else {
            throw DomainValidationError(.type, "the body must be a JSON object, got \(value.typeName)")
        }
        if let given = object["command"], given != .string(name) {
            throw DomainValidationError(
                .notAllowed, at: "/command", "command must be \(name), the command the path names (or be left out)")
        }
        if let given = object["actor"], given != .string(actor) {
            throw DomainValidationError(
                .notAllowed, at: "/actor", "actor must be the token's holder, \(actor) (or be left out)")
        }
        if let commandId {
            if let given = object["commandId"], given != .string(commandId.lowercaseText),
                given != .string(commandId.uuidString)
            {
                throw DomainValidationError(
                    .notAllowed, at: "/commandId", "commandId must equal the Idempotency-Key header (or be left out)")
            }
            object.set("commandId", .string(commandId.lowercaseText))
        }
        var members: [(key: String, value: JSONValue)] = [("command", .string(name)), ("actor", .string(actor))]
        if object["occurredAt"] == nil { members.append(("occurredAt", .string(now.rfc3339))) }
        for member in object where member.key != "command" && member.key != "actor" { members.append(member) }
        return JSONObject(members)
    }
}

/// A command decoded from its JSON form (``CommandRequest/decoded(body:name:actor:commandId:now:)``):
/// the decoding checked it against its schema (``CommandJSON``), so
/// ``CommandHandler/prepare(_:)-(DecodedCommand)`` does not write and read it back as it does a
/// command built in Swift. Only decoding makes one.
public struct DecodedCommand: Sendable {
    /// The command.
    public let command: any Command

    fileprivate init(_ command: any Command) { self.command = command }
}
