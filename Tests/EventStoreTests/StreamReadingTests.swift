import EventStore
import Foundation
import LMDB
import Testing

@Suite("Stream reads")
struct StreamReadingTests {
    /// Ten events alternating between "even" and "odd", positions 1 to 10.
    private func alternating(_ store: EventStore) async throws {
        for i in 0..<10 {
            _ = try await store.append(
                AppendRequest(events: [event(i % 2 == 0 ? "even" : "odd", payload: #"{"i":\#(i)}"#)]))
        }
    }

    private func scanned(
        _ store: EventStore, _ stream: String, from version: UInt64 = 1, direction: ReadDirection = .forward,
        limit: Int = .max, checking check: ReadCheck = .structure
    ) throws -> [UInt64] {
        var versions: [UInt64] = []
        try store.scanStream(stream, from: version, direction: direction, limit: limit, checking: check) {
            #expect($0.stream == stream)
            versions.append($0.version)
        }
        return versions
    }

    @Test("scanStream hands out in place the events readStream copies, in every direction and window")
    func sameEvents() async throws {
        try await withStore { store, _ in
            try await alternating(store)
            for check in [ReadCheck.structure, .chain] {
                #expect(try scanned(store, "odd", checking: check) == [1, 2, 3, 4, 5])
                #expect(try scanned(store, "odd", from: 2, limit: 2, checking: check) == [2, 3])
                #expect(try scanned(store, "odd", from: 99, direction: .backward, limit: 2, checking: check) == [5, 4])
                #expect(try scanned(store, "even", from: 3, direction: .backward, checking: check) == [3, 2, 1])
                #expect(try scanned(store, "even", from: 6, checking: check).isEmpty)
                #expect(try scanned(store, "even", from: 0, direction: .backward, checking: check).isEmpty)
                #expect(try scanned(store, "even", limit: 0, checking: check).isEmpty)
                #expect(try scanned(store, "missing", checking: check).isEmpty)
            }
            var copied: [RecordedEvent] = []
            try store.scanStream("even") { copied.append($0.materialize()) }
            #expect(copied == (try store.readStream("even")))
            #expect(copied.map(\.position) == [1, 3, 5, 7, 9])
        }
    }

    @Test("an error thrown by the body ends the read and comes out as it was")
    func bodyThrows() async throws {
        struct Enough: Error {}
        try await withStore { store, _ in
            try await alternating(store)
            var seen = 0
            #expect(throws: Enough.self) {
                try store.scanStream("even") { _ in
                    seen += 1
                    if seen == 2 { throw Enough() }
                }
            }
            #expect(seen == 2)
        }
    }

    @Test("a version missing from the stream index is damage, named with the remedy, not a short stream")
    func missingIndexEntry() async throws {
        try await withStore { store, path in
            try await alternating(store)
            // Remove version 3's entries (both streams') from the index, as a damaged page would.
            let environment = try Environment.open(directory: path)
            let index = try environment.openDatabase("streamIndex", flags: [.duplicateSort, .duplicateFixed])
            var key = UInt64(3).bigEndian
            try environment.write { txn in
                _ = try withUnsafeBytes(of: &key) { try txn.delete(index, key: $0) }
            }
            #expect(try scanned(store, "even", limit: 2) == [1, 2])
            for read in [
                { _ = try store.readStream("even") },
                { _ = try store.readStream("odd", from: 5, direction: .backward) },
            ] {
                let error = try #require(throws: EventStoreError.self) { try read() }
                #expect(error.code == .corrupted)
                #expect(error.message.contains("version 3 is missing from the stream index"))
            }
        }
    }
}
