public import EventStore
import FirstResponder

/// Bridges the log's interchange (EventStore's NDJSON lines) and the domain's catalog codecs.
public enum DomainCodec {
    /// The JSON form of a domain event stored in the binary codec, at the version it was stored
    /// with (no upcasting: an export must restore byte for byte), or `nil` if it is not one.
    public static func json(_ event: RecordedEvent) -> [UInt8]? {
        guard event.payloadEncoding == .binary else { return nil }
        let decoded = try? event.payload.withUnsafeBytes { raw in
            try EventCatalog.decodeAsStored(
                type: event.type, schemaVersion: event.schemaVersion, payload: raw, encoding: .binary)
        }
        return decoded?.jsonBytes()
    }

    /// Encodes a domain event's JSON `data` in the binary codec of its type and schema version.
    public static func binary(type: String, schemaVersion: UInt16, json: [UInt8]) throws -> [UInt8] {
        guard let entry = EventCatalog.entry(for: type) else {
            throw EventLine.Invalid(
                field: "type", message: "\(type) is not in the event catalog, so its binary form is unknown")
        }
        guard let version = entry.versions.first(where: { $0.schemaVersion == schemaVersion }) else {
            throw EventLine.Invalid(
                field: "schemaVersion",
                message: "\(type) has no schema version \(schemaVersion) (1 to \(entry.currentVersion))")
        }
        do {
            return try version.swiftType.init(jsonBytes: json).binaryBytes()
        } catch {
            throw EventLine.Invalid(field: "data", message: "\(error)")
        }
    }
}
