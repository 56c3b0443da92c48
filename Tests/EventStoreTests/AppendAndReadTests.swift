import EventStore
import Foundation
import Testing

@Suite("Append and read")
struct AppendAndReadTests {
    @Test("appended events read back with their whole envelope")
    func roundTrip() async throws {
        let recorded = Timestamp(seconds: 1_800_000_000)
        let clock: @Sendable () -> Timestamp = { recorded }
        try await withStore(clock: clock) { store, _ in
            let correlation = UUID()
            var first = event("case-C-1", "RecoveryReported", payload: #"{"caseId":"C-1"}"#)
            first.correlationId = correlation
            first.metadata = json(#"{"ip":"10.0.0.1"}"#)
            first.schemaVersion = 2
            let result = try await store.append(AppendRequest(events: [first, event("case-C-2"), event("case-C-1")]))
            #expect(result.events.map(\.position) == [1, 2, 3])
            #expect(result.events.map(\.version) == [1, 1, 2])
            #expect(!result.alreadyStored)

            let all = try store.read(from: 1, limit: 10)
            #expect(all.count == 3)
            let e = try #require(all.first)
            #expect(e.stream == "case-C-1" && e.type == "RecoveryReported" && e.version == 1 && e.position == 1)
            #expect(e.id == result.events[0].id)
            #expect(e.schemaVersion == 2)
            #expect(e.occurredAt == first.occurredAt)
            #expect(e.recordedAt == recorded)
            #expect(e.actor == "user:test")
            #expect(e.correlationId == correlation && e.causationId == nil)
            #expect(e.metadata == first.metadata && e.payload == first.payload)
            #expect(e.hash.count == 32)
            #expect(try store.event(id: e.id) == e)
            #expect(try store.event(at: 2)?.stream == "case-C-2")
            #expect(try store.event(at: 4) == nil)
            #expect(try store.head() == LogHead(position: 3, hash: all[2].hash))
        }
    }

    @Test("reads go forward and backward, by position and by stream version")
    func directions() async throws {
        try await withStore { store, _ in
            for i in 0..<10 {
                _ = try await store.append(
                    AppendRequest(events: [event(i % 2 == 0 ? "even" : "odd", payload: #"{"i":\#(i)}"#)]))
            }
            #expect(try store.read(from: 4, limit: 3).map(\.position) == [4, 5, 6])
            #expect(try store.read(from: 4, direction: .backward, limit: 10).map(\.position) == [4, 3, 2, 1])
            #expect(try store.read(from: 99, direction: .backward, limit: 2).map(\.position) == [10, 9])
            #expect(try store.readStream("even").map(\.version) == [1, 2, 3, 4, 5])
            #expect(try store.readStream("even").map(\.position) == [1, 3, 5, 7, 9])
            #expect(try store.readStream("odd", from: 2, limit: 2).map(\.position) == [4, 6])
            #expect(try store.readStream("odd", from: 99, direction: .backward, limit: 2).map(\.version) == [5, 4])
            #expect(try store.readStream("missing").isEmpty)
            let head = try #require(try store.streamHead("odd"))
            #expect(head.version == 5 && head.lastPosition == 10 && head.firstPosition == 2)
            #expect(try store.streamHeads().map(\.stream) == ["even", "odd"])
            #expect(try store.streamHeads(after: "even").map(\.stream) == ["odd"])
        }
    }

    @Test("scan reads in chunks and stops where asked")
    func scanChunks() async throws {
        try await withStore { store, _ in
            _ = try await store.append(
                AppendRequest(events: (0..<2_500).map { event("s-\($0 % 7)", payload: #"{"i":\#($0)}"#) }))
            var positions: [UInt64] = []
            try store.scan(from: 10, through: 2_100) { positions.append($0.position) }
            #expect(positions == Array(10...2_100))
            let stats = try store.statistics()
            #expect(stats.events == 2_500 && stats.streams == 7)
        }
    }

    @Test("malformed events are refused with the field named, and nothing is written")
    func invalidEvents() async throws {
        try await withStore { store, _ in
            let bad: [(NewEvent, String)] = [
                (event(""), "events[1].stream"),
                (event(String(repeating: "s", count: 201)), "events[1].stream"),
                (event("ok", "has space"), "events[1].type"),
                (
                    NewEvent(stream: "ok", type: "T", occurredAt: Timestamp(seconds: 0), actor: "", payload: []),
                    "events[1].actor"
                ),
                (event("tab\there"), "events[1].stream: expected a stream name of 1–200 bytes without control"),
                (
                    NewEvent(
                        stream: "ok", type: "T", schemaVersion: 0, occurredAt: Timestamp(seconds: 0), actor: "a",
                        payload: []),
                    "events[1].schemaVersion: expected 1 or more, got 0"
                ),
                (
                    NewEvent(
                        stream: "ok", type: "T", occurredAt: Timestamp(seconds: 0), actor: "a",
                        metadata: [UInt8](repeating: 32, count: 65_537), payload: []),
                    "events[1].metadata: 65537 bytes is over the 65536-byte limit"
                ),
            ]
            for (e, field) in bad {
                await #expect {
                    _ = try await store.append(AppendRequest(events: [event("fine"), e]))
                } throws: { error in
                    guard let error = error as? EventStoreError else { return false }
                    return error.code == .invalidEvent && error.message.contains(field) && error.eventIndex == 1
                }
            }
            await #expect {
                _ = try await store.append(AppendRequest(events: [event("fine")], expectations: ["": .noStream]))
            } throws: { error in
                guard let error = error as? EventStoreError else { return false }
                return error.code == .invalidEvent && error.message.hasPrefix("expectations: expected a stream name")
                    && error.eventIndex == nil
            }
            let head = try store.head().position
            #expect(head == 0)
        }
    }
}
