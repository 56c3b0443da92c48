import EventStore
import Foundation
import Testing
import Trust
import VigilEngine

/// A directory of its own for one test (tests run in parallel), removed afterwards.
final class TrustScratch: Sendable {
    let path: String

    init(_ label: String = "trust") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { path + "/" + name }

    /// A new signing key pair in this directory.
    func key(_ name: String = "county") throws -> CheckpointSigningKey {
        try CheckpointSigningKey.generate(at: sub(name + ".key"), publicKeyAt: sub(name + ".pub"))
    }
}

/// A plain event for store-level tests (the log does not care what it says).
func note(_ n: Int, stream: String = "notes") -> NewEvent {
    NewEvent(
        stream: stream, type: "NoteTaken", occurredAt: Timestamp(seconds: 1_773_450_000 + Int64(n)),
        actor: "user:test", payload: Array(#"{"n":\#(n)}"#.utf8))
}

/// Appends `count` notes numbered from `first`.
func appendNotes(_ store: EventStore, _ first: Int, _ count: Int) async throws {
    for n in first..<(first + count) { _ = try await store.append(AppendRequest(events: [note(n)])) }
}
