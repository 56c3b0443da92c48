import EventStore
import Foundation
import LMDB
import Testing

@Suite("One read of the log shared by several lanes")
struct SharedLogScanTests {
    /// 100 events in three streams, payloads of different lengths, positions 1 to 100.
    private func fill(_ store: EventStore) async throws {
        for i in 0..<20 {
            _ = try await store.append(
                AppendRequest(
                    events: (0..<5).map { j in
                        event(
                            "s-\((i * 5 + j) % 3)",
                            payload: #"{"i":\#(i * 5 + j),"pad":"\#(String(repeating: "x", count: (i * 7 + j) % 40))"}"#
                        )
                    }))
        }
    }

    /// What a plain scan hands out through `last`: each event's position, id and bytes.
    private func plain(_ store: EventStore, from position: UInt64 = 1, through last: UInt64) throws -> [Seen] {
        var seen: [Seen] = []
        try store.scan(from: position, through: last) { seen.append(Seen($0)) }
        return seen
    }

    private struct Seen: Equatable, Sendable {
        let position: UInt64
        let id: UUID
        let bytes: [UInt8]

        init(_ view: EventView) {
            position = view.position
            id = view.id
            bytes = Array(view.bytes)
        }
    }

    /// Runs `lanes` on threads of their own, each reading `shared` with `read(lane)`, and returns
    /// what each saw (or the error it threw).
    private func run(
        _ lanes: Int, _ read: @escaping @Sendable (Int, inout [Seen]) throws -> Void
    ) -> [Result<[Seen], any Error>] {
        let results = Mutex<[Result<[Seen], any Error>]>(Array(repeating: .success([]), count: lanes))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var seen: [Seen] = []
            let result = Result { try read(lane, &seen) }.map { seen }
            results.withLock { $0[lane] = result }
        }
        return results.withLock { $0 }
    }

    @Test("every lane sees every event a plain scan sees, in order, whatever its calls and the slices")
    func sameEvents() async throws {
        try await withStore { store, _ in
            try await fill(store)
            let expected = try plain(store, through: 100)
            for (sliceSize, capacity) in [(UInt64(7), 2), (1, 1), (16, 8), (200, 3)] {
                let shared = SharedLogScan(
                    store, through: 100, lanesFrom: [1, 1, 1], sliceSize: sliceSize, capacity: capacity)
                // Each lane asks in calls of its own length, across slice boundaries.
                let results = run(3) { lane, seen in
                    defer { shared.finish(lane: lane) }
                    let step = UInt64([5, 13, 100][lane])
                    var next: UInt64 = 1
                    while next <= 100 {
                        let last = min(100, next + step - 1)
                        try shared.scan(lane: lane, from: next, through: last) { seen.append(Seen($0)) }
                        next = last + 1
                    }
                }
                for (lane, result) in results.enumerated() {
                    let seen = try result.get()
                    #expect(
                        seen.map(\.position) == expected.map(\.position) && seen == expected,
                        "slices of \(sliceSize), \(capacity) kept: lane \(lane) saw the log")
                }
            }
        }
    }

    @Test("once its lanes are done and its reader has stopped, the scan and its slices are freed")
    func freedAfterwards() async throws {
        try await withStore { store, _ in
            try await fill(store)
            weak var freed: SharedLogScan?
            do {
                let shared = SharedLogScan(store, through: 100, lanesFrom: [1, 1], sliceSize: 8, capacity: 4)
                freed = shared
                let results = run(2) { lane, seen in
                    defer { shared.finish(lane: lane) }
                    try shared.scan(lane: lane, from: 1, through: 100) { seen.append(Seen($0)) }
                }
                for result in results { #expect(try result.get().count == 100) }
            }
            // The reader thread lets go of it when it stops (bounded: 5 s).
            for _ in 0..<500 where freed != nil { try await Task.sleep(for: .milliseconds(10)) }
            #expect(freed == nil, "the scan (and the slices it keeps) outlived its reader")

            // Through position 0 (an empty log): nothing to read, and the reader stops at once.
            let empty = SharedLogScan(store, through: 0, lanesFrom: [1, 1])
            var none = 0
            try empty.scan(lane: 0, from: 1, through: 0) { _ in none += 1 }
            empty.finish(lane: 0)
            empty.finish(lane: 1)
            #expect(none == 0)
        }
    }

    @Test("a lane that has read to the end rejoins where another still is, and reads the same events again")
    func rejoin() async throws {
        try await withStore { store, _ in
            try await fill(store)
            // One thread, the lanes in turn: lane 1 reads past what the scan keeps (it reads those
            // slices in place), then rejoins at lane 0's position, whose slices are still kept.
            let shared = SharedLogScan(store, through: 100, lanesFrom: [1, 1], sliceSize: 7, capacity: 3)
            var first: [Seen] = []
            try shared.scan(lane: 0, from: 1, through: 35) { first.append(Seen($0)) }
            var whole: [Seen] = []
            try shared.scan(lane: 1, from: 1, through: 100) { whole.append(Seen($0)) }
            shared.rejoin(lane: 1, at: 36)
            var again: [Seen] = []
            try shared.scan(lane: 1, from: 36, through: 100) { again.append(Seen($0)) }
            var rest: [Seen] = []
            try shared.scan(lane: 0, from: 36, through: 100) { rest.append(Seen($0)) }
            shared.finish(lane: 0)
            shared.finish(lane: 1)
            #expect(first == (try plain(store, through: 35)))
            #expect(whole == (try plain(store, through: 100)))
            #expect(again == (try plain(store, from: 36, through: 100)), "the rejoined lane read 36-100 again")
            #expect(rest == (try plain(store, from: 36, through: 100)))
        }
    }

    @Test("a lane that stops early, or starts late, holds no other lane up")
    func lanesStopAndStartApart() async throws {
        try await withStore { store, _ in
            try await fill(store)
            let shared = SharedLogScan(store, through: 100, lanesFrom: [1, 61, 1], sliceSize: 4, capacity: 2)
            let results = run(3) { lane, seen in
                defer { shared.finish(lane: lane) }
                switch lane {
                case 0: try shared.scan(lane: 0, from: 1, through: 100) { seen.append(Seen($0)) }
                case 1: try shared.scan(lane: 1, from: 61, through: 100) { seen.append(Seen($0)) }
                default: try shared.scan(lane: 2, from: 1, through: 10) { seen.append(Seen($0)) }  // then stops
                }
            }
            #expect(try results[0].get() == (try plain(store, through: 100)))
            #expect(try results[1].get() == (try plain(store, from: 61, through: 100)))
            #expect(try results[2].get() == (try plain(store, through: 10)))
        }
    }

    @Test("an error in one lane's body ends that lane alone; a log shorter than the scan fails every lane")
    func failures() async throws {
        struct Enough: Error {}
        try await withStore { store, _ in
            try await fill(store)
            let shared = SharedLogScan(store, through: 100, lanesFrom: [1, 1], sliceSize: 8, capacity: 2)
            let results = run(2) { lane, seen in
                defer { shared.finish(lane: lane) }
                try shared.scan(lane: lane, from: 1, through: 100) { view in
                    if lane == 0, view.position == 20 { throw Enough() }
                    seen.append(Seen(view))
                }
            }
            #expect(throws: Enough.self) { try results[0].get() }
            #expect(try results[1].get() == (try plain(store, through: 100)))

            // Positions past the head: the reader says where the log ends, to every lane that needs them.
            let beyond = SharedLogScan(store, through: 130, lanesFrom: [1, 1], sliceSize: 16, capacity: 2)
            let short = run(2) { lane, seen in
                defer { beyond.finish(lane: lane) }
                try beyond.scan(lane: lane, from: 1, through: 130) { seen.append(Seen($0)) }
            }
            for result in short {
                #expect {
                    _ = try result.get().count
                } throws: { error in
                    "\(error)".contains("position 101") && "\(error)".contains("missing")
                }
            }
        }
    }
}

/// A value behind a lock, for the lanes' results.
private final class Mutex<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
