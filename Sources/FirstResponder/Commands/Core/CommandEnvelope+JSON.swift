import EventStore
import Foundation

extension CommandEnvelope {
    /// Reads the envelope of a command's JSON object: `occurredAt` and `actor` (required),
    /// `commandId` and `correlationId` (optional UUIDs), as `schemas/commands/*.schema.json` define
    /// them. The command's own fields are left to the command.
    init(json object: JSONObject) throws(DomainValidationError) {
        let occurredAt = try Self.field(object, "occurredAt", SchemaDecoding.timestamp)
        let actor = try Self.field(object, "actor") { (v) throws(DomainValidationError) in
            try SchemaDecoding.string(v, pattern: SchemaPatterns.personRef, name: "personRef")
        }
        let commandId = try Self.optionalField(object, "commandId", ImportLineEnvelope.uuid)
        let correlationId = try Self.optionalField(object, "correlationId", ImportLineEnvelope.uuid)
        self.init(occurredAt: occurredAt, actor: actor, commandId: commandId, correlationId: correlationId)
    }

    /// Checks an envelope built in Swift as ``init(json:)`` checks its JSON form: `occurredAt` a
    /// timestamp of the catalog, `actor` a staff reference (the ids are UUIDs by type).
    func validateSchema() throws(DomainValidationError) {
        try SchemaDecoding.field("occurredAt") { () throws(DomainValidationError) in
            try SchemaDecoding.check(timestamp: occurredAt)
        }
        try SchemaDecoding.field("actor") { () throws(DomainValidationError) in
            try SchemaDecoding.check(string: actor, pattern: SchemaPatterns.personRef, name: "personRef")
        }
    }

    /// Writes `command` and the envelope's fields into an open JSON object.
    func encodeJSON(command: String, into writer: inout JSONWriter) {
        writer.field("command", command)
        writer.field("occurredAt", occurredAt.rfc3339)
        writer.field("actor", actor)
        if let commandId { writer.field("commandId", commandId.lowercaseText) }
        if let correlationId { writer.field("correlationId", correlationId.lowercaseText) }
    }

    private static func field<T>(
        _ object: JSONObject, _ key: String, _ decode: (JSONValue) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> T {
        guard let value = object[key] else {
            throw DomainValidationError(.required, at: "/" + JSONPointer.escape(key), "\(key) is required")
        }
        do throws(DomainValidationError) {
            return try decode(value)
        } catch {
            throw error.under(key)
        }
    }

    private static func optionalField<T>(
        _ object: JSONObject, _ key: String, _ decode: (JSONValue) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> T? {
        guard object[key] != nil else { return nil }
        return try field(object, key, decode)
    }
}
