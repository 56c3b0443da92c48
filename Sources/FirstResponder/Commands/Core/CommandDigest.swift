import Crypto
import EventStore
import Foundation

/// What makes a command the command it is, for idempotency: its canonical JSON and that JSON's
/// SHA-256.
///
/// A command sent again under the same `commandId` is a retry only if its digest is the one stored
/// with the first one's events (in their metadata, `commandDigest`); anything else — another
/// case, another responder, another `occurredAt` or actor — is a different command, refused rather
/// than answered with the first one's events.
///
/// The canonical JSON is built from the command's value, not from the text it came in, so the same
/// command gives the same digest whether it was decoded from JSON (in any key order, with any
/// spacing or time-zone offset) or built in Swift: an object with `command` (the name), the
/// envelope's fields, and the command's own stored properties, keys sorted, absent optionals left
/// out; identifiers and enums as their raw values, times as RFC 3339 in UTC, UUIDs in lower case.
public enum CommandDigest {
    /// The canonical JSON of `command`, written by the command's generated code
    /// (scripts/generate-commands): the same bytes for the same command in every version that writes
    /// this form, since the digests are stored. A command outside the catalog has only its name and
    /// envelope.
    public static func canonicalJSON(_ command: any Command) -> [UInt8] {
        var writer = JSONWriter()
        if let command = command as? any JSONCommand {
            command.writeCanonical(into: &writer)
        } else {
            let envelope = command.envelope
            writer.beginObject()
            writer.field("actor", envelope.actor)
            writer.field("command", command.name)
            if let id = envelope.commandId { writer.field("commandId", id.lowercaseText) }
            if let id = envelope.correlationId { writer.field("correlationId", id.lowercaseText) }
            writer.field("occurredAt", envelope.occurredAt.rfc3339)
            writer.endObject()
        }
        return writer.bytes
    }

    /// The SHA-256 of ``canonicalJSON(_:)``, in lower-case hex.
    public static func digest(_ command: any Command) -> String {
        Hex.encode(SHA256.hash(data: canonicalJSON(command)))
    }
}
