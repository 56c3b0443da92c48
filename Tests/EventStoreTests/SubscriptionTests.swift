import EventStore
import Testing

@Suite("Catch-up subscriptions")
struct SubscriptionTests {
    @Test("history then live, no gap and no duplicate, while appends race with the hand-over")
    func handOver() async throws {
        try await withStore(mapSize: 1 << 24) { store, _ in
            _ = try await store.append(
                AppendRequest(events: (0..<1_500).map { event("h-\($0 % 5)", payload: #"{"i":\#($0)}"#) }))
            let total: UInt64 = 1_500 + 4 * 600
            async let received: [UInt64] = {
                var seen: [UInt64] = []
                for try await e in store.subscribe(after: 0) {
                    seen.append(e.position)
                    if e.position == total { break }
                }
                return seen
            }()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<4 {
                    group.addTask {
                        for i in 0..<300 {
                            _ = try await store.append(AppendRequest(events: [event("w-\(w)"), event("x-\(i % 3)")]))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let positions = try await received
            #expect(positions == Array(1...total))
        }
    }

    @Test("a subscription from the middle starts after the given position")
    func fromMiddle() async throws {
        try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<10).map { _ in event("s") }))
            var seen: [UInt64] = []
            for try await e in store.subscribe(after: 7) {
                seen.append(e.position)
                if e.position == 10 { break }
            }
            #expect(seen == [8, 9, 10])
        }
    }

    @Test("cancelling a waiting subscriber ends it")
    func cancellation() async throws {
        try await withStore { store, _ in
            let task = Task {
                var count = 0
                for try await _ in store.subscribe(after: 0) { count += 1 }
                return count
            }
            _ = try await store.append([event("s")], to: "s")
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
            #expect(try await task.value == 1)
        }
    }
}
