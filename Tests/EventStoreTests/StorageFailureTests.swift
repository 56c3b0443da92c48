import EventStore
import Foundation
import LMDB
import Testing

@Suite("Storage failures name their cause")
struct StorageFailureTests {
    @Test("a store that reaches its size limit says so, and keeps what it acknowledged")
    func mapFullBeyondLimit() async throws {
        let dir = TemporaryDirectory()
        let store = try EventStore.open(
            directory: dir.path,
            options: EventStore.Options(environment: Environment.Options(mapSize: 64 << 10, maxMapSize: 256 << 10)))
        defer { store.close() }
        var acknowledged: UInt64 = 0
        let error = await #expect(throws: EventStoreError.self) {
            for round in 0..<1_000 {
                let events = (0..<20).map { _ in
                    event("s-\(round % 3)", payload: #"{"pad":"\#(String(repeating: "p", count: 400))"}"#)
                }
                acknowledged = try await store.append(AppendRequest(events: events)).lastPosition
            }
        }
        #expect(error?.code == .storage)
        #expect(
            error?.message.hasPrefix("storage failed: the store reached its size limit (MDB_MAP_FULL") == true,
            "\(String(describing: error))")
        #expect(acknowledged > 0)
        #expect(try store.head().position == acknowledged)
        #expect(try store.verify().isValid)
    }

    @Test("errno causes are named in plain words with their code")
    func causes() {
        #expect(LMDBError(code: .noSpace, operation: "mdb_txn_commit").cause.hasPrefix("the disk is full (ENOSPC"))
        #expect(LMDBError(code: .quotaExceeded, operation: "x").cause.hasPrefix("the disk quota is exhausted (EDQUOT"))
        #expect(LMDBError(code: .ioError, operation: "x").cause.hasPrefix("the disk reported an I/O error (EIO"))
        #expect(LMDBError(code: .corrupted, operation: "x").meansDamage)
    }
}
