import EventStore
import Foundation
import LMDB
import Testing

@Suite("Map growth")
struct MapGrowthTests {
    @Test("a store created with a 64 KiB map takes a million events without an error")
    func millionFromTinyMap() async throws {
        try await withStore(mapSize: 64 << 10) { store, _ in
            let payload = json(#"{"n":1}"#)
            var appended = 0
            while appended < 1_000_000 {
                let events = (0..<10_000).map { i in
                    NewEvent(
                        stream: "s-\((appended + i) % 1_000)", type: "T", occurredAt: Timestamp(seconds: 0), actor: "a",
                        payload: payload)
                }
                appended += try await store.append(AppendRequest(events: events)).events.count
            }
            let stats = try store.statistics()
            #expect(stats.events == 1_000_000 && stats.head.position == 1_000_000)
            #expect(stats.mapSize > 64 << 10)
            #expect(try store.streamHead("s-999")?.version == 1_000)
        }
    }
}
