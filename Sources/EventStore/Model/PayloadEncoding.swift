/// How an event's payload bytes are encoded; stored in the record so any reader knows.
public enum PayloadEncoding: UInt8, Sendable, CaseIterable {
    /// Opaque bytes (exported as base64).
    case bytes = 0
    /// UTF-8 JSON (one object).
    case json = 1
    /// A domain module's binary codec, identified by the event type and schema version.
    case binary = 2
}
