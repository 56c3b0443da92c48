import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

/// A projection that records every position it folds (position → stream), so a test can see
/// whether it skipped or repeated an event.
final class PositionLedger: InlineProjection {
    let name: String
    private let database = Mutex<Database?>(nil)

    init(name: String = "ledger") { self.name = name }

    func open(_ txn: borrowing Transaction) throws {
        let db = try txn.openDatabase("ledger-\(name)", flags: txn.isReadOnly ? [] : .create)
        database.withLock { $0 = db }
    }

    func reset(_ txn: borrowing Transaction) throws {
        if let db = database.withLock({ $0 }) { try txn.clear(db) }
    }

    func check(_ event: NewEvent) -> String? {
        event.type == "Unfoldable" ? "type: Unfoldable events cannot be folded" : nil
    }

    func apply(_ event: WrittenEvent, _ txn: borrowing Transaction) throws {
        guard let db = database.withLock({ $0 }) else { return }
        var key = event.position.bigEndian
        let stored = try withUnsafeBytes(of: &key) { k in try txn.get(db, key: k) }
        if stored != nil { throw EventStoreError(.corrupted, "position \(event.position) folded twice") }
        try withUnsafeBytes(of: &key) { k in
            try Array(event.stream.utf8).withUnsafeBytes { v in try txn.put(db, key: k, value: v) }
        }
    }

    /// Every position folded, ascending.
    func positions(in directory: String) throws -> [UInt64] {
        guard let db = database.withLock({ $0 }) else { return [] }
        let environment = try Environment.open(directory: directory)
        return try environment.read { txn in
            try txn.withCursor(db) { cursor in
                var out: [UInt64] = []
                var entry = try cursor.first()
                while let e = entry {
                    out.append(e.key.loadUnaligned(as: UInt64.self).bigEndian)
                    entry = try cursor.next()
                }
                return out
            }
        }
    }
}

@Suite("Inline projections")
struct InlineProjectionTests {
    private func open(_ directory: String, _ projections: [any InlineProjection]) throws -> EventStore {
        try EventStore.open(
            directory: directory,
            options: EventStore.Options(
                environment: Environment.Options(mapSize: 1 << 20), readChunkSize: 3,
                inlineProjections: projections))
    }

    private func append(_ store: EventStore, _ count: Int, stream: String = "s") async throws {
        _ = try await store.append(AppendRequest(events: (0..<count).map { _ in event(stream) }))
    }

    @Test("every appended event is folded in its own transaction, and the checkpoint is the head")
    func checkpointFollowsTheHead() async throws {
        let dir = TemporaryDirectory()
        let ledger = PositionLedger()
        let store = try open(dir.path, [ledger])
        defer { store.close() }
        try await append(store, 4)
        try await append(store, 3, stream: "t")
        #expect(try store.checkpoint(of: "ledger") == 7)
        #expect(try ledger.positions(in: dir.path) == Array(1...7))
    }

    @Test("a projection opened on a longer log catches up before the store takes appends")
    func catchUpOnOpen() async throws {
        let dir = TemporaryDirectory()
        do {
            let bare = try open(dir.path, [])
            try await append(bare, 10)
            bare.close()
        }
        let ledger = PositionLedger()
        let store = try open(dir.path, [ledger])
        defer { store.close() }
        #expect(try store.checkpoint(of: "ledger") == 10)
        try await append(store, 1)
        #expect(try ledger.positions(in: dir.path) == Array(1...11))
    }

    @Test("a rebuild folds the whole log again, in chunks, and ends at the head")
    func rebuild() async throws {
        let dir = TemporaryDirectory()
        let ledger = PositionLedger()
        let store = try open(dir.path, [ledger])
        defer { store.close() }
        try await append(store, 8)
        try store.rebuild(ledger)
        #expect(try store.checkpoint(of: "ledger") == 8)
        #expect(try ledger.positions(in: dir.path) == Array(1...8))
    }

    @Test("events another writer appended without the projection are folded before the next commit's")
    func anotherWriterAppended() async throws {
        let dir = TemporaryDirectory()
        let ledger = PositionLedger()
        let store = try open(dir.path, [ledger])
        defer { store.close() }
        try await append(store, 2)
        // A second writer on the same log keeps no inline projections (another process, an older
        // build, a store-level import): its events move the head but not the checkpoint.
        let other = try open(dir.path, [])
        try await append(other, 3, stream: "other")
        #expect(try store.checkpoint(of: "ledger") == 2)
        try await append(store, 1)
        #expect(try store.checkpoint(of: "ledger") == 6)
        #expect(try ledger.positions(in: dir.path) == Array(1...6))
    }

    @Test("an append the projection cannot fold is refused alone, before anything is written")
    func checkRefusesOneAppend() async throws {
        let dir = TemporaryDirectory()
        let ledger = PositionLedger()
        let store = try open(dir.path, [ledger])
        defer { store.close() }
        try await append(store, 1)
        await #expect(throws: EventStoreError.self) {
            _ = try await store.append(AppendRequest(events: [event("s", "Unfoldable")]))
        }
        #expect(try store.head().position == 1)
        #expect(try store.checkpoint(of: "ledger") == 1)
    }

    @Test("two projections opened together each keep their own checkpoint")
    func twoProjections() async throws {
        let dir = TemporaryDirectory()
        let first = PositionLedger(name: "first")
        do {
            let store = try open(dir.path, [first])
            try await append(store, 3)
            store.close()
        }
        let second = PositionLedger(name: "second")
        let store = try open(dir.path, [first, second])
        defer { store.close() }
        try await append(store, 2)
        #expect(try store.checkpoint(of: "first") == 5)
        #expect(try store.checkpoint(of: "second") == 5)
        #expect(try first.positions(in: dir.path) == Array(1...5))
        #expect(try second.positions(in: dir.path) == Array(1...5))
    }
}
