import EventStore
import Foundation
import LMDB
import Testing

@Suite("Verification")
struct VerificationTests {
    @Test("a healthy store verifies and reports its head")
    func healthy() async throws {
        try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<300).map { event("s-\($0 % 4)") }))
            let report = try store.verify()
            #expect(report.isValid && report.events == 300 && report.streams == 4)
            #expect(report.head == (try store.head()))
        }
    }

    @Test("a changed byte inside a record is named by its position")
    func changedRecord() async throws {
        try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<50).map { event("s", payload: #"{"i":\#($0)}"#) }))
            try tamper(store) { txn, events in
                var key = UInt64(23).bigEndian
                let original = try withUnsafeBytes(of: &key) { Array(try txn.get(events, key: $0)!) }
                var changed = original
                changed[changed.count - 40] ^= 0x01  // a payload byte
                try withUnsafeBytes(of: &key) { k in
                    try changed.withUnsafeBytes { try txn.put(events, key: k, value: $0) }
                }
            }
            let report = try store.verify()
            #expect(!report.isValid)
            #expect(report.problems.first?.position == 23)
            #expect(report.problems.first?.message.contains("hash mismatch") == true)
            #expect(report.head.position == 22)
        }
    }

    @Test("a missing record is found")
    func gap() async throws {
        try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<10).map { _ in event("s") }))
            try tamper(store) { txn, events in
                var key = UInt64(4).bigEndian
                try withUnsafeBytes(of: &key) { _ = try txn.delete(events, key: $0) }
            }
            let report = try store.verify()
            #expect(report.problems.first?.position == 4)
        }
    }

    private func tamper(_ store: EventStore, _ body: (borrowing Transaction, Database) throws -> Void) throws {
        try store.environment.write { txn in
            let events = try txn.openDatabase("events")
            try body(txn, events)
        }
    }
}

@Suite("Format")
struct FormatTests {
    @Test("a store written by a newer format is refused with a clear error")
    func newerFormat() async throws {
        let dir = TemporaryDirectory()
        do {
            let store = try EventStore.open(directory: dir.path)
            try store.environment.write { txn in
                let meta = try txn.openDatabase("meta")
                try txn.put(meta, key: Array("format".utf8), value: [9, 0, 0, 0])
            }
            store.close()
        }
        #expect {
            _ = try EventStore.open(directory: dir.path)
        } throws: { error in
            guard let error = error as? EventStoreError else { return false }
            return error.code == .unsupportedFormat && error.message.contains("format 9")
        }
    }

    @Test(arguments: [
        ("2026-03-14T02:13:00Z", 1_773_454_380_000_000 as Int64),
        ("2026-03-14T02:13:00.25Z", 1_773_454_380_250_000),
        ("2026-03-13T19:13:00-07:00", 1_773_454_380_000_000),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("2024-02-29T00:00:00+00:00", 1_709_164_800_000_000),
    ])
    func timestamps(_ text: String, _ micros: Int64) throws {
        let t = try #require(Timestamp(rfc3339: text))
        #expect(t.microseconds == micros)
        #expect(Timestamp(rfc3339: t.rfc3339) == t)
    }

    @Test(arguments: [
        "", "2026-03-14", "2026-02-30T00:00:00Z", "2026-03-14T25:00:00Z", "2026-03-14T02:13:00", "yesterday",
        "2026-03-14T02:13:00.Z", "2026-03-14T02:13:00+7:00",
    ])
    func badTimestamps(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}
