import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

@Suite("Concurrent appends and group commit")
struct ConcurrencyTests {
    @Test("32 concurrent appenders × 1,000 events: positions exactly 1…32,000, versions dense per stream")
    func denseUnderConcurrency() async throws {
        try await withStore(mapSize: 1 << 24) { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<32 {
                    group.addTask {
                        var i = 0
                        while i < 1_000 {
                            // Mix single events and small batches, over streams shared between appenders.
                            let n = min(1 + (i % 3), 1_000 - i)
                            let events = (0..<n).map { k in
                                event("stream-\((appender + i + k) % 8)", payload: #"{"a":\#(appender)}"#)
                            }
                            _ = try await store.append(AppendRequest(events: events))
                            i += n
                        }
                    }
                }
                try await group.waitForAll()
            }
            var positions: [UInt64] = []
            var versions: [String: [UInt64]] = [:]
            try store.scan(from: 1) { view in
                positions.append(view.position)
                versions[view.stream, default: []].append(view.version)
            }
            #expect(positions == Array(1...32_000))
            for (stream, vs) in versions {
                #expect(vs == Array(1...UInt64(vs.count)), "stream \(stream) versions are dense")
                #expect(try store.streamHead(stream)?.version == UInt64(vs.count))
            }
            #expect(try store.verify().isValid)
        }
    }
}

@Suite("An append's onCommit hook")
struct OnCommitTests {
    /// The positions the hooks saw, in the order they saw them.
    final class Positions: Sendable {
        private let positions = Mutex<[UInt64]>([])
        func withLock<R>(_ body: (inout [UInt64]) -> R) -> R { positions.withLock { body(&$0) } }
    }

    @Test(
        "concurrent appends sharing commits: each hook runs once, in log order, before its caller resumes; a refused one never",
        arguments: [false, true])
    func logOrder(noSync: Bool) async throws {
        try await withStore(mapSize: 1 << 24, noSync: noSync) { store, _ in
            let seen = Positions()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<32 {
                    group.addTask {
                        for round in 0..<20 {
                            let events = (0...(round % 3)).map { _ in event("s-\(appender)") }
                            let result = try await store.append(
                                AppendRequest(events: events) { result in
                                    seen.withLock { $0.append(contentsOf: result.events.map(\.position)) }
                                })
                            // The hook ran before this caller resumed.
                            let last = try #require(result.events.last?.position)
                            #expect(seen.withLock { $0.contains(last) })
                        }
                        // Refused (a wrong expected version): no hook.
                        await #expect(throws: EventStoreError.self) {
                            _ = try await store.append(
                                AppendRequest(
                                    events: [event("s-\(appender)")], expectations: ["s-\(appender)": .exactly(0)]
                                ) {
                                    _ in seen.withLock { $0.append(0) }
                                })
                        }
                    }
                }
                try await group.waitForAll()
            }
            let head = try store.head().position
            let positions = seen.withLock { $0 }
            let firstOutOfOrder = Array(zip(positions, 1...head)).firstIndex { $0 != $1 }
            #expect(
                positions.count == Int(head) && firstOutOfOrder == nil,
                "the hooks saw \(positions.count) of \(head) positions; out of log order from index \(firstOutOfOrder ?? -1)"
            )
        }
    }
}

/// A store without fsync commits a lone append on the caller's thread (no hop to the writer's and
/// back); appends that arrive meanwhile queue and the writer's thread takes them. Both paths must
/// write the same log as the durable store's writer: gapless, chained, the same bytes.
@Suite("Commits on the caller's thread (stores without fsync)")
struct CallerCommitTests {
    /// The three ways a store commits: durable (the writer's thread), without fsync (the caller's
    /// thread when idle), and without fsync writing pages in place (a fill).
    static let modes: [(noSync: Bool, writeMap: Bool)] = [(false, false), (true, false), (true, true)]

    @Test(
        "sequential appends: the same chain head whichever thread commits, and in place or not",
        arguments: [0, 1, 2])
    func sameLog(mode: Int) async throws {
        let (noSync, writeMap) = Self.modes[mode]
        let reference = try await Self.sequentialHead(noSync: false, writeMap: false)
        let head = try await Self.sequentialHead(noSync: noSync, writeMap: writeMap)
        #expect(head == reference, "mode \(Self.modes[mode])")
        #expect(head.position == 600)
    }

    @Test(
        "16 concurrent appenders on a store without fsync: positions dense, versions dense, chain valid",
        arguments: [1, 2])
    func denseWhenCallersCommit(mode: Int) async throws {
        let (noSync, writeMap) = Self.modes[mode]
        try await withStore(mapSize: 1 << 22, noSync: noSync, writeMap: writeMap) { store, _ in
            let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
                for appender in 0..<16 {
                    group.addTask {
                        var results: [AppendResult] = []
                        for i in 0..<200 {
                            let events = (0..<(1 + i % 2)).map { k in
                                event("stream-\((appender + i + k) % 5)", payload: #"{"a":\#(appender)}"#)
                            }
                            results.append(try await store.append(AppendRequest(events: events)))
                            if i % 7 == 0 { await Task.yield() }
                        }
                        return results
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let answered = results.flatMap { $0.events.map(\.position) }.sorted()
            #expect(answered == Array(1...UInt64(answered.count)), "each position answered once")
            var positions: [UInt64] = []
            var versions: [String: [UInt64]] = [:]
            try store.scan(from: 1) { view in
                positions.append(view.position)
                versions[view.stream, default: []].append(view.version)
            }
            #expect(positions == answered)
            for (stream, vs) in versions {
                #expect(vs == Array(1...UInt64(vs.count)), "stream \(stream) versions are dense")
            }
            #expect(try store.verify(deep: true).isValid)
        }
    }

    @Test("close() returns only once every accepted append is committed; later ones are refused")
    func closeWaitsForCallers() async throws {
        let dir = TemporaryDirectory()
        let store = try EventStore.open(
            directory: dir.path, options: EventStore.Options(environment: Environment.Options(unsafeNoSync: true)))
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for appender in 0..<8 {
                group.addTask {
                    var ok = 0
                    for _ in 0..<100 {
                        do {
                            _ = try await store.append([event("s-\(appender)")], to: "s-\(appender)")
                            ok += 1
                        } catch let error as EventStoreError where error.code == .closed {
                            break
                        }
                    }
                    return ok
                }
            }
            try await Task.sleep(for: .milliseconds(5))
            store.close()
            let head = try store.head().position
            let total = try await group.reduce(0, +)
            return (head, total)
        }
        // Every append answered before close() returned is in the log, and nothing after it is.
        #expect(accepted.0 == UInt64(accepted.1))
        #expect(try store.verify().isValid)
    }

    @Test("a restore is refused by a store that writes pages in place (LMDB has no nested transactions there)")
    func restoreRefusedUnderWriteMap() async throws {
        try await withStore(noSync: true, writeMap: true) { store, _ in
            var restored = event("s")
            restored.restore = .init(position: 1, recordedAt: Timestamp(seconds: 1_773_454_380), hash: nil)
            restored.id = UUID()
            do {
                _ = try await store.restore([restored])
                Issue.record("the restore was written")
            } catch let error as EventStoreError {
                #expect(error.message.contains("writeMap"), "\(error)")
            }
            #expect(try store.head().position == 0)
        }
    }

    /// 300 appends of two events, one after the other, on a fixed clock and id seed: the head.
    private static func sequentialHead(noSync: Bool, writeMap: Bool) async throws -> LogHead {
        let dir = TemporaryDirectory()
        let store = try EventStore.open(
            directory: dir.path,
            options: EventStore.Options(
                environment: Environment.Options(unsafeNoSync: noSync, writeMap: writeMap),
                clock: { Timestamp(seconds: 1_773_454_380) }, idSeed: 42))
        defer { store.close() }
        for i in 0..<300 {
            _ = try await store.append(
                AppendRequest(events: [event("s-\(i % 9)", payload: #"{"i":\#(i)}"#), event("t-\(i % 4)")]))
        }
        return try store.head()
    }
}
