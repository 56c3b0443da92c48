import EventStore
import Foundation
import LMDB

/// A directory of its own for one test (tests run in parallel), removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-test-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a fresh store in its own directory.
func withStore<R>(
    mapSize: Int = 1 << 20,
    clock: (@Sendable () -> Timestamp)? = nil,
    noSync: Bool = false,
    writeMap: Bool = false,
    _ body: (EventStore, String) async throws -> R
) async throws -> R {
    let dir = TemporaryDirectory()
    var options = EventStore.Options(
        environment: Environment.Options(mapSize: mapSize, unsafeNoSync: noSync, writeMap: writeMap))
    if let clock { options.clock = clock }
    let store = try EventStore.open(directory: dir.path, options: options)
    defer { store.close() }
    return try await body(store, dir.path)
}

/// A JSON payload.
func json(_ text: String) -> [UInt8] { Array(text.utf8) }

/// An event for tests.
func event(
    _ stream: String,
    _ type: String = "Happened",
    id: UUID? = nil,
    payload: String = #"{"n":1}"#,
    at seconds: Int64 = 1_773_454_380
) -> NewEvent {
    NewEvent(
        id: id, stream: stream, type: type, occurredAt: Timestamp(seconds: seconds), actor: "user:test",
        payload: json(payload))
}
