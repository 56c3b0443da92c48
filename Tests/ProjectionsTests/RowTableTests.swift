import Projections
import Testing

/// A backend in memory that counts the loads it is asked for.
private final class CountingBackend: RowBackend {
    var rows: [[UInt8]: [UInt8]] = [:]
    var loads = 0
    let startsEmpty: Bool

    init(startsEmpty: Bool) { self.startsEmpty = startsEmpty }

    func load(_ key: [UInt8]) throws -> [UInt8]? {
        loads += 1
        return rows[key]
    }

    /// Stores what `table` changed, and marks it clean.
    func flush(_ table: RowTable<Int>) throws {
        for change in try table.changes() { rows[change.key] = change.value }
        table.markClean()
    }
}

@Suite("Row table")
struct RowTableTests {
    @Test(
        "over a backend that started empty, a table takes keys it never wrote for absent without asking, and reads back every row it forgot"
    )
    func forgottenRowsAndAbsentKeys() throws {
        let backend = CountingBackend(startsEmpty: true)
        let table = RowTable<Int>("numbers", backend: backend)
        for i in 0..<20_000 { table.put("n\(i)", i) }
        table.delete("n7")
        try backend.flush(table)
        #expect(try table.get("absent-before") == nil && backend.loads == 0, "the cache holds every row")
        table.evictClean()
        #expect(table.cachedCount == 0)

        for i in 0..<20_000 where i != 7 { #expect(try table.get("n\(i)") == i) }
        #expect(try table.get("n7") == nil, "a deleted row stays deleted")
        let loadsForForgotten = backend.loads
        #expect(loadsForForgotten >= 19_999, "forgotten rows come back from the backend")

        // The keys it forgot are remembered (a Bloom filter): a key never written is absent without a load,
        // but for the filter's rare false "may" (about one key in 500,000 at 20,000 keys).
        for i in 0..<1_000 { #expect(try table.get("never-\(i)") == nil, "a key never written is absent") }
        #expect(backend.loads - loadsForForgotten < 5, "keys never written are not asked for")

        // Changed again after it was read back, forgotten again: the latest value is read.
        table.put("n3", 33)
        try backend.flush(table)
        table.evictClean()
        #expect(try table.get("n3") == 33)
    }

    @Test("a table that discarded unflushed changes asks the backend for every row it does not cache")
    func discardedTableAsksTheBackend() throws {
        let backend = CountingBackend(startsEmpty: true)
        let table = RowTable<Int>("numbers", backend: backend)
        table.put("a", 1)
        try backend.flush(table)
        table.evictClean()
        table.discardAll()
        // Another writer stored a row meanwhile.
        backend.rows[RowKey.encode(table: "numbers", key: "b")] = try RowEncoder.encode(2)
        #expect(try table.get("b") == 2)
    }
}
