import EventStore
import FirstResponder
import Foundation
import LMDB
import Synchronization
import Testing

/// A clock the tests move by hand: what the log's "now" is when a command arrives.
final class ManualClock: Sendable {
    private let instant: Mutex<Timestamp>

    init(_ start: Timestamp) { instant = Mutex(start) }

    func now() -> Timestamp { instant.withLock { $0 } }

    func set(_ t: Timestamp) { instant.withLock { $0 = t } }
}

/// An empty store in a temporary directory, for restoring exports into.
final class ScratchStore {
    let directory: String
    let store: EventStore

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)").path
        store = try EventStore.open(
            directory: directory,
            options: EventStore.Options(
                environment: Environment.Options(unsafeNoSync: true), inlineProjections: [TimerIndex()]))
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The export line of a stored event, as `vigil export` writes it (domain payloads as JSON).
func exportLine(_ event: RecordedEvent) -> [UInt8] {
    EventLine.export(event) { e in
        let decoded = try? e.payload.withUnsafeBytes { raw in
            try EventCatalog.decodeAsStored(
                type: e.type, schemaVersion: e.schemaVersion, payload: raw, encoding: e.payloadEncoding)
        }
        return decoded?.jsonBytes()
    }
}

/// Restores every event of `source` into an empty store through the domain door — each export line
/// checked by ``EventCatalog/checkLine(_:)`` and admitted by the one rule set — in batches of
/// `batch`; returns the refusals (line number and violation) and the new store's head.
func reimport(_ source: EventStore, batch: Int = 100) async throws -> (refused: [String], head: LogHead) {
    let target = try ScratchStore()
    let admission = Admission(store: target.store)
    var refused: [String] = []
    var pending: [NewEvent] = []
    var line = 0
    for event in try source.read(from: 1, limit: .max) {
        line += 1
        do {
            let checked = try EventCatalog.checkLine(exportLine(event))
            try admission.admit(checked, receivedAt: event.recordedAt)
            pending.append(checked.newEvent)
        } catch {
            refused.append("line \(line) (\(event.type)): \(error)")
            break
        }
        if pending.count == batch {
            _ = try await target.store.restore(pending)
            admission.committed()
            pending = []
        }
    }
    if !pending.isEmpty, refused.isEmpty {
        _ = try await target.store.restore(pending)
        admission.committed()
    }
    return (refused, try target.store.head())
}
