import Foundation

extension EventView {
    /// The first field in which `event` differs from this stored record, described for a person
    /// (`occurredAt: stored 2026-03-14T02:13:00Z, sent 2026-03-14T02:14:00Z`), or `nil` when `event`
    /// is the same event: an idempotent retry.
    ///
    /// Everything a client chooses is compared — stream, type, schema version, payload and its
    /// encoding, occurredAt, actor, correlation and causation ids, metadata — and, for a restore,
    /// the envelope the store gave it (position, recordedAt, hash). Only what the store assigns
    /// afresh on an ordinary append (position, version, recordedAt) and the expected version (a
    /// precondition, not part of the event) are left out.
    func difference(from event: NewEvent) -> String? {
        func differs(_ field: String, _ stored: String, _ sent: String) -> String {
            "\(field): stored \(stored), sent \(sent)"
        }
        if !streamBytes.elementsEqual(event.stream.utf8) {
            return differs("stream", quoted(stream), quoted(event.stream))
        }
        if !typeBytes.elementsEqual(event.type.utf8) { return differs("type", type, event.type) }
        if schemaVersion != event.schemaVersion {
            return differs("schemaVersion", "\(schemaVersion)", "\(event.schemaVersion)")
        }
        if payloadEncoding != event.payloadEncoding {
            return differs("payload encoding", "\(payloadEncoding)", "\(event.payloadEncoding)")
        }
        if !payloadBytes.elementsEqual(event.payload) {
            return
                "data: the stored payload (\(payloadBytes.count) bytes) is not the one sent (\(event.payload.count) bytes)"
        }
        if occurredAt != event.occurredAt { return differs("occurredAt", "\(occurredAt)", "\(event.occurredAt)") }
        if actor != event.actor { return differs("actor", quoted(actor), quoted(event.actor)) }
        if correlationId != event.correlationId {
            return differs("correlationId", describe(correlationId), describe(event.correlationId))
        }
        if causationId != event.causationId {
            return differs("causationId", describe(causationId), describe(event.causationId))
        }
        if !metadataBytes.elementsEqual(event.metadata) {
            return differs(
                "metadata", quoted(String(decoding: metadataBytes, as: UTF8.self)),
                quoted(String(decoding: event.metadata, as: UTF8.self)))
        }
        if let restore = event.restore {
            if restore.position != position { return differs("position", "\(position)", "\(restore.position)") }
            if restore.recordedAt != recordedAt {
                return differs("recordedAt", "\(recordedAt)", "\(restore.recordedAt)")
            }
            if let hash = restore.hash, !hashBytes.elementsEqual(hash) {
                return differs("hash", Hex.encode(hashBytes), Hex.encode(hash))
            }
        }
        return nil
    }

    private func describe(_ id: UUID?) -> String { id.map { $0.lowercaseText } ?? "none" }

    private func quoted(_ s: String) -> String { s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\"" }
}
