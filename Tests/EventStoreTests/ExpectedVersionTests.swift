import EventStore
import Testing

@Suite("Expected versions")
struct ExpectedVersionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let existing: Int
        let expected: ExpectedVersion
        let succeeds: Bool
        var testDescription: String { "\(existing) events, expecting \(expected): \(succeeds ? "ok" : "conflict")" }
    }

    static let cases: [Case] = [
        Case(existing: 0, expected: .any, succeeds: true),
        Case(existing: 2, expected: .any, succeeds: true),
        Case(existing: 0, expected: .noStream, succeeds: true),
        Case(existing: 2, expected: .noStream, succeeds: false),
        Case(existing: 0, expected: .streamExists, succeeds: false),
        Case(existing: 2, expected: .streamExists, succeeds: true),
        Case(existing: 0, expected: .exactly(0), succeeds: true),
        Case(existing: 2, expected: .exactly(2), succeeds: true),
        Case(existing: 2, expected: .exactly(1), succeeds: false),
        Case(existing: 2, expected: .exactly(3), succeeds: false),
        Case(existing: 0, expected: .exactly(1), succeeds: false),
    ]

    @Test(arguments: cases)
    func expectation(_ c: Case) async throws {
        try await withStore { store, _ in
            for _ in 0..<c.existing { _ = try await store.append([event("s")], to: "s") }
            _ = try await store.append([event("other")], to: "other")
            let before = try store.head().position
            if c.succeeds {
                let result = try await store.append([event("s"), event("s")], to: "s", expecting: c.expected)
                #expect(result.events.map(\.version) == [UInt64(c.existing) + 1, UInt64(c.existing) + 2])
            } else {
                await #expect {
                    _ = try await store.append([event("s"), event("s")], to: "s", expecting: c.expected)
                } throws: { error in
                    guard let error = error as? EventStoreError, error.code == .wrongExpectedVersion else {
                        return false
                    }
                    // The message says which stream, what was expected and what was found.
                    let found = c.existing == 0 ? "no stream" : "version \(c.existing)"
                    return error.message.contains("'s'") && error.message.contains("expected \(c.expected)")
                        && error.message.contains("found \(found)")
                }
                #expect(try store.head().position == before, "a failed append writes nothing")
            }
        }
    }

    @Test("a per-event expectation counts the append's earlier events")
    func perEvent() async throws {
        try await withStore { store, _ in
            var a = event("s")
            a.expectedVersion = .noStream
            var b = event("s")
            b.expectedVersion = .exactly(1)
            _ = try await store.append(AppendRequest(events: [a, b]))
            var c = event("s")
            c.expectedVersion = .exactly(1)
            await #expect(throws: EventStoreError.self) {
                _ = try await store.append(AppendRequest(events: [event("t"), c]))
            }
            #expect(try store.head().position == 2)
        }
    }

    @Test("one conflicting appender does not fail the others committed with it")
    func isolationInGroupCommit() async throws {
        try await withStore { store, _ in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<24 {
                    group.addTask {
                        // Everyone races to create "shared"; only one may. Half also write elsewhere.
                        let events = i % 2 == 0 ? [event("shared")] : [event("shared"), event("own-\(i)")]
                        return
                            (try? await store.append(AppendRequest(events: events, expectations: ["shared": .noStream])))
                            != nil
                    }
                    group.addTask { (try? await store.append([event("free-\(i)")], to: "free-\(i)")) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 25, "24 free appends and exactly one winner")
            #expect(try store.streamHead("shared")?.version == 1)
            let positions = try store.read(from: 1, limit: 100).map(\.position)
            #expect(positions == Array(1...UInt64(positions.count)))
        }
    }
}
