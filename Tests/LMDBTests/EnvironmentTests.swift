import Foundation
import LMDB
import Synchronization
import Testing

@Suite("LMDB wrapper")
struct EnvironmentTests {
    private func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-test-\(UUID().uuidString)").path
    }

    @Test("one environment per directory per process")
    func shared() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = try Environment.open(directory: path)
        let b = try Environment.open(directory: path)
        #expect(a === b)
    }

    @Test("the process's environment is not handed to a writer it would serve with less than it asked for")
    func sharedOnlyWhenItServes() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let fill = try Environment.open(directory: path, options: Environment.Options(unsafeNoSync: true))
            // Asking for less (no fsync, or read-only) is served by what is open.
            #expect(try Environment.open(directory: path, options: Environment.Options(unsafeNoSync: true)) === fill)
            #expect(try Environment.open(directory: path, options: Environment.Options(readOnly: true)) === fill)
            // A writer that needs durable commits would get none from it: refused, naming why.
            do {
                _ = try Environment.open(directory: path)
                Issue.record("a writer asking for fsync got an environment without it")
            } catch {
                #expect(error.code == .incompatible && "\(error)".contains("unsafeNoSync"), "\(error)")
            }
        }
        // Once it is closed, the same directory opens durable.
        let durable = try Environment.open(directory: path)
        #expect(!durable.options.unsafeNoSync)
        #expect(try Environment.open(directory: path, options: Environment.Options(unsafeNoSync: true)) === durable)
    }

    @Test("put, get, cursor and delete in closure-scoped transactions")
    func basics() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment.open(directory: path)
        let db = try env.openDatabase("things")
        try env.write { txn in
            for i: UInt8 in [3, 1, 2] { try txn.put(db, key: [i], value: [i, i]) }
        }
        #expect(try env.read { txn in try txn.get(db, key: [2]) } == [2, 2])
        #expect(try env.read { txn in try txn.get(db, key: [9]) } == nil)
        let keys = try env.read { txn in
            try txn.withCursor(db) { cursor in
                var keys: [UInt8] = []
                var entry = try cursor.first()
                while let e = entry {
                    keys.append(e.key[0])
                    entry = try cursor.next()
                }
                return keys
            }
        }
        #expect(keys == [1, 2, 3])
        let atMost = try env.read { txn in
            try txn.withCursor(db) { cursor in
                try [UInt8](arrayLiteral: 5).withUnsafeBytes { try cursor.seek(atMost: $0)?.key[0] }
            }
        }
        #expect(atMost == 3)
        try env.write { txn in _ = try [UInt8](arrayLiteral: 1).withUnsafeBytes { try txn.delete(db, key: $0) } }
        #expect(try env.read { txn in try txn.statistics(db).entries } == 2)
    }

    @Test("a throwing body writes nothing")
    func rollback() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment.open(directory: path)
        let db = try env.openDatabase("things")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try env.write { txn in
                try txn.put(db, key: [1], value: [1])
                throw Boom()
            }
        }
        #expect(try env.read { txn in try txn.get(db, key: [1]) } == nil)
    }

    @Test("errors carry LMDB's code and message and match by code")
    func errors() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment.open(directory: path)
        let db = try env.openDatabase("things")
        do {
            try env.write { txn in
                try txn.put(db, key: [1], value: [1])
                try txn.put(db, key: [1], value: [2], flags: .noOverwrite)
            }
            Issue.record("expected MDB_KEYEXIST")
        } catch LMDBError.Code.keyExists {
        }
        #expect(throws: LMDBError.self) { _ = try env.openDatabase("absent", create: false) }
    }

    @Test("MDB_MAP_FULL from put or commit grows the map and re-runs the transaction")
    func growth() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment.open(directory: path, options: .init(mapSize: 64 << 10))
        let db = try env.openDatabase("blobs")
        let blob = [UInt8](repeating: 7, count: 3_000)
        var runs = 0
        try env.write { txn in
            runs += 1
            for i in 0..<2_000 {
                var key = UInt32(i).bigEndian
                try withUnsafeBytes(of: &key) { k in try blob.withUnsafeBytes { try txn.put(db, key: k, value: $0) } }
            }
        }
        #expect(runs > 1, "the body ran again after the map grew")
        #expect(env.mapSize > 64 << 10)
        #expect(try env.read { txn in try txn.statistics(db).entries } == 2_000)
    }

    @Test(
        "a transaction opened inside another's closure does not wait behind a map resize that waits for the first")
    func nestedReadDuringResize() throws {
        // The outer read holds the resize gate; a writer fills the map and waits to resize it. A
        // writer-preferring lock queued the nested read behind that waiting resize, which waited for
        // the outer read: both for ever (a views catch-up reads its rows inside the log's scan).
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment.open(directory: path, options: .init(mapSize: 64 << 10))
        let db = try env.openDatabase("blobs")
        let outerHolds = DispatchSemaphore(value: 0)
        let readerDone = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        let nested = Mutex<Int?>(nil)
        let writerError = Mutex<String?>(nil)
        Thread.detachNewThread {
            do {
                try env.read { _ in
                    outerHolds.signal()
                    Thread.sleep(forTimeInterval: 0.5)  // the writer is waiting to resize by now
                    let entries = try env.read { txn in try txn.statistics(db).entries }
                    nested.withLock { $0 = entries }
                }
            } catch {}
            readerDone.signal()
        }
        Thread.detachNewThread {
            outerHolds.wait()
            let blob = [UInt8](repeating: 7, count: 3_000)
            do {
                try env.write { txn in
                    for i in 0..<200 {
                        var key = UInt32(i).bigEndian
                        try withUnsafeBytes(of: &key) { k in
                            try blob.withUnsafeBytes { try txn.put(db, key: k, value: $0) }
                        }
                    }
                }
            } catch {
                writerError.withLock { $0 = "\(error)" }
            }
            writerDone.signal()
        }
        // Deadlocked, the threads stay blocked: the test fails without touching the environment again.
        guard readerDone.wait(timeout: .now() + 20) == .success else {
            Issue.record("the nested read waited for ever behind the resize")
            return
        }
        guard writerDone.wait(timeout: .now() + 20) == .success else {
            Issue.record("the resize waited for ever")
            return
        }
        #expect(nested.withLock { $0 } == 0, "the nested read saw the map before the writer's commit")
        #expect(writerError.withLock { $0 } == nil)
        #expect(env.mapSize > 64 << 10)
        #expect(try env.read { txn in try txn.statistics(db).entries } == 200)
    }

    @Test("writeMap (a fill's mode): pages written in place read back, also after reopening without it")
    func writeMap() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let env = try Environment.open(
                directory: path, options: Environment.Options(mapSize: 1 << 20, unsafeNoSync: true, writeMap: true))
            #expect(env.options.writeMap)
            let db = try env.openDatabase("things")
            // Enough to grow the map (1 MiB) twice: growth under MDB_WRITEMAP extends the file too.
            for batch: UInt32 in 0..<12 {
                try env.write { txn in
                    for i: UInt32 in 0..<64 {
                        var key = (batch * 64 + i).bigEndian
                        try withUnsafeBytes(of: &key) { k in
                            try [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 1_000).withUnsafeBytes { v in
                                try txn.put(db, key: k, value: v)
                            }
                        }
                    }
                }
            }
            #expect(env.mapSize > 1 << 20)
            // The data file is as long as the map (LMDB extends it when it maps it writable).
            let size = try FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int
            #expect(size == env.mapSize)
            // LMDB has no nested transactions under MDB_WRITEMAP.
            #expect(throws: LMDBError.self) {
                try env.write { txn in try txn.nested { child in try child.put(db, key: [1], value: [1]) } }
            }
            // The process's environment is not handed to a writer that asked for pages copied.
            do {
                _ = try Environment.open(directory: path)
                Issue.record("a writer without writeMap got the writeMap environment")
            } catch {
                #expect(error.code == .incompatible && "\(error)".contains("MDB_WRITEMAP"), "\(error)")
            }
            try env.sync()
        }
        let reopened = try Environment.open(directory: path)
        #expect(!reopened.options.writeMap)
        let db = try reopened.openDatabase("things")
        #expect(try reopened.read { txn in try txn.statistics(db).entries } == 12 * 64)
        var key = UInt32(700).bigEndian
        let value = try reopened.read { txn in
            try withUnsafeBytes(of: &key) { try txn.get(db, key: $0).map(Array.init) }
        }
        #expect(value == [UInt8](repeating: UInt8(700 % 64), count: 1_000))
    }
}
