import Foundation
import Testing

@testable import LMDB

@Suite("letting go of the map's resident pages")
struct ResidencyTests {
    private func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-residency-\(UUID().uuidString)").path
    }

    /// The pages of `env`'s map this process has mapped now, from `/proc/self/pagemap` (its "present"
    /// bit). Only this test touches the environment, so the count is its own.
    private func mappedPages(_ env: Environment) throws -> Int {
        let pagemap = try #require(FileHandle(forReadingAtPath: "/proc/self/pagemap"))
        defer { try? pagemap.close() }
        var present = 0
        for region in Environment.mappedRegions(of: env.directory + "/data.mdb") {
            try pagemap.seek(toOffset: UInt64(region.start / 4096 * 8))
            let entries = try pagemap.read(upToCount: region.length / 4096 * 8) ?? Data()
            entries.withUnsafeBytes { raw in
                for i in 0..<(raw.count / 8) where raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) >> 63 == 1
                {
                    present += 1
                }
            }
        }
        return present
    }

    private func fill(_ env: Environment, _ db: Database, count: Int, size: Int = 900) throws {
        let value = [UInt8](repeating: 9, count: size)
        try env.write { txn in
            for i in 0..<count {
                var key = UInt32(i).bigEndian
                try withUnsafeBytes(of: &key) { k in try value.withUnsafeBytes { try txn.put(db, key: k, value: $0) } }
            }
        }
    }

    /// The sum of the first byte of up to `limit` values, read in one transaction; `afterEach` is
    /// called with the transaction and the count read so far after each value.
    private func readAll(
        _ env: Environment, _ db: Database, limit: Int = .max,
        afterEach: (borrowing Transaction, Int) -> Void = { _, _ in }
    ) throws -> Int {
        try env.read { txn in
            var sum = 0
            var read = 0
            try txn.withCursor(db) { cursor in
                var entry = try cursor.first()
                while let e = entry, read < limit {
                    sum += Int(e.value[0])
                    read += 1
                    afterEach(txn, read)
                    entry = try cursor.next()
                }
            }
            return sum
        }
    }

    #if os(Linux)
        @Test("the pages read are let go, every value still reads, and after the map grows the new map is let go")
        func releaseAndGrowth() throws {
            let path = directory()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let env = try Environment.open(directory: path, options: .init(mapSize: 1 << 20))
            let db = try env.openDatabase("rows")
            try fill(env, db, count: 500)
            #expect(try readAll(env, db) == 500 * 9)
            #expect(try mappedPages(env) > 0)
            #expect(env.releaseResidentPages() == env.mapSize, "the whole map, found once")
            #expect(try mappedPages(env) == 0)
            #expect(try readAll(env, db) == 500 * 9, "read again through the map")

            // Growing the map maps the file anew, maybe elsewhere: the next release finds it again.
            let before = env.mapSize
            try fill(env, db, count: 4_000)
            #expect(env.mapSize > before)
            #expect(try readAll(env, db) == 4_000 * 9)
            #expect(try mappedPages(env) > 0)
            #expect(env.releaseResidentPages() == env.mapSize)
            #expect(try mappedPages(env) == 0)

            // Inside a transaction, without the gate: the pages read so far go, the walk carries on.
            let sum = try readAll(env, db) { txn, seen in
                if seen % 100 == 0 { #expect(txn.releaseResidentPages() == env.mapSize) }
            }
            #expect(sum == 4_000 * 9)
        }
    #endif

    #if os(Linux)
        @Test("asked, it lets go only once the process's mapped file pages grew by more than the limit")
        func releaseIfGrown() throws {
            let path = directory()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let env = try Environment.open(directory: path, options: .init(mapSize: 128 << 20))
            let db = try env.openDatabase("rows")
            let rows = (MapResidency.growthLimit + (16 << 20)) / 1_000
            try fill(env, db, count: rows, size: 1_000)
            env.releaseResidentPages()
            // A little read: well under the limit, so the pages stay.
            _ = try readAll(env, db, limit: 200)
            #expect(try mappedPages(env) > 0)
            #expect(!env.releaseResidentPagesIfGrown())
            #expect(try mappedPages(env) > 0)
            // Every row: past the limit, so they go.
            #expect(try readAll(env, db) == rows * 9)
            #expect(env.releaseResidentPagesIfGrown())
            #expect(try mappedPages(env) == 0)
        }
    #endif

    @Test("a page budget is spent once the walk has moved onto that many pages, not by the entries read")
    func pageBudget() {
        let pages = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096 * 10, alignment: 4096)
        defer { pages.deallocate() }
        func entry(page: Int, offset: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(
                rebasing: UnsafeRawBufferPointer(pages)[(page * 4096 + offset)..<(page * 4096 + offset + 8)])
        }
        var budget = PageBudget(pages: 3)
        var spent: [Int] = []
        // Many entries on one page count once; each new page counts.
        let walk = [(0, 0), (0, 100), (0, 200), (1, 0), (1, 50), (2, 0), (3, 0), (3, 8), (4, 0), (5, 0), (6, 0)]
        for (index, (page, offset)) in walk.enumerated() where budget.spent(reading: entry(page: page, offset: offset))
        {
            spent.append(index)
        }
        #expect(spent == [5, 9], "pages 0, 1 and 2 spend it; then 3, 4 and 5")
        let empty = budget.spent(reading: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(!empty, "an empty value is no page")
    }
}
