import EventStore
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
