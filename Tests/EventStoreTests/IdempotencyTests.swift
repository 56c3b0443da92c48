import EventStore
import Foundation
import Testing

@Suite("Idempotency")
struct IdempotencyTests {
    @Test("retrying an append with the same ids returns the original positions and writes nothing")
    func retry() async throws {
        try await withStore { store, _ in
            let ids = [UUID(), UUID()]
            let events = [event("a", id: ids[0]), event("b", id: ids[1])]
            let first = try await store.append(AppendRequest(events: events, expectations: ["a": .noStream]))
            _ = try await store.append([event("c")], to: "c")
            // The retry's expected version no longer holds; idempotency answers first.
            let again = try await store.append(AppendRequest(events: events, expectations: ["a": .noStream]))
            #expect(again.alreadyStored)
            #expect(again.events == first.events)
            #expect(try store.head().position == 3)
        }
    }

    @Test("firstEvent(ids:) finds the first of several ids that is stored, with its offset, or nothing")
    func firstOfSeveral() async throws {
        try await withStore { store, _ in
            let ids = [UUID(), UUID()]
            _ = try await store.append(AppendRequest(events: [event("a", id: ids[0]), event("b", id: ids[1])]))
            let missing = UUID()
            let found = try #require(try store.firstEvent(ids: [missing, ids[1], ids[0]]))
            #expect(found.offset == 1)
            #expect(found.event.id == ids[1] && found.event.position == 2)
            #expect(try store.firstEvent(ids: [ids[0]])?.event.stream == "a")
            #expect(try store.firstEvent(ids: [missing, UUID()]) == nil)
            #expect(try store.firstEvent(ids: []) == nil)
        }
    }

    @Test("an append mixing stored and new ids is refused whole")
    func partial() async throws {
        try await withStore { store, _ in
            let stored = UUID()
            _ = try await store.append([event("a", id: stored)], to: "a")
            await #expect {
                _ = try await store.append(AppendRequest(events: [event("a", id: stored), event("a", id: UUID())]))
            } throws: { ($0 as? EventStoreError)?.code == .idempotencyConflict }
            #expect(try store.head().position == 1)
        }
    }

    @Test("the same id twice in one append is refused")
    func duplicateWithin() async throws {
        try await withStore { store, _ in
            let id = UUID()
            await #expect(throws: EventStoreError.self) {
                _ = try await store.append(AppendRequest(events: [event("a", id: id), event("b", id: id)]))
            }
            let head = try store.head().position
            #expect(head == 0)
        }
    }

    @Test("store-made ids are UUIDv7 and increase with position")
    func generatedIDs() async throws {
        try await withStore { store, _ in
            let result = try await store.append(AppendRequest(events: (0..<500).map { _ in event("s") }))
            let ids = result.events.map { $0.id.uuidString.lowercased() }
            #expect(ids.allSatisfy { $0.dropFirst(14).first == "7" })
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == 500)
        }
    }

    @Test("UUIDv7 generator stays strictly increasing when the clock stalls or steps back")
    func generatorMonotonic() {
        let generator = UUIDv7Generator()
        var last = ""
        for millis: UInt64 in [1_000, 1_000, 1_000, 999, 500, 1_001, 1_001] {
            for _ in 0..<100 {
                let id = generator.next(unixMillis: millis).uuidString.lowercased()
                #expect(id > last)
                last = id
            }
        }
    }

    @Test("a UUIDv7 holds its milliseconds, version 7, the RFC 9562 variant and a counter that counts")
    func generatorLayout() {
        let generator = UUIDv7Generator(seed: 7)
        let millis: UInt64 = 0x0123_4567_89AB
        var previousCounter: UInt64?
        for _ in 0..<300 {
            let b = withUnsafeBytes(of: generator.next(unixMillis: millis).uuid) { Array($0) }
            let stamp = b[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(stamp == millis)
            #expect(b[6] >> 4 == 7, "version")
            #expect(b[8] >> 6 == 0b10, "variant")
            // The counter: rand_a's 12 bits, then the top 30 bits of rand_b (below the variant).
            let randA = UInt64(b[6] & 0x0F) << 8 | UInt64(b[7])
            let randB = b[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x3FFF_FFFF_FFFF_FFFF
            let counter = randA << 30 | randB >> 32
            if let previousCounter { #expect(counter == previousCounter + 1) }
            previousCounter = counter
        }
    }
}

@Suite("Deterministic ids")
struct DeterministicIDTests {
    @Test("with a virtual clock and an id seed, the same appends get the same ids and the same chain")
    func repeatable() async throws {
        func run() async throws -> ([RecordedEvent], LogHead) {
            let dir = TemporaryDirectory()
            var options = EventStore.Options(idSeed: 99)
            options.clock = { Timestamp(seconds: 1_800_000_000) }
            let store = try EventStore.open(directory: dir.path, options: options)
            defer { store.close() }
            for i in 0..<5 { _ = try await store.append(AppendRequest(events: [event("s-\(i % 2)"), event("t")])) }
            return (try store.read(from: 1, limit: 100), try store.head())
        }
        let a = try await run()
        let b = try await run()
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
    }
}

@Suite("Idempotency: an id names one event")
struct IdempotencyComparisonTests {
    /// One way a second event under a stored id can differ from the stored one.
    enum Change: String, CaseIterable, Sendable {
        case stream, type, schemaVersion, payloadEncoding, payload, occurredAt, actor, correlationId, causationId,
            metadata
    }

    static func original(_ id: UUID) -> NewEvent {
        var e = event("case-C-1", id: id)
        e.correlationId = UUID(uuidString: "00000000-0000-4000-8000-000000000001")
        e.causationId = UUID(uuidString: "00000000-0000-4000-8000-000000000002")
        e.metadata = json(#"{"command":"x"}"#)
        return e
    }

    static func changed(_ e: NewEvent, _ change: Change) -> NewEvent {
        var e = e
        switch change {
        case .stream: e.stream = "case-C-2"
        case .type: e.type = "Other"
        case .schemaVersion: e.schemaVersion = 2
        case .payloadEncoding: e.payloadEncoding = .bytes
        case .payload: e.payload = json(#"{"n":2}"#)
        case .occurredAt: e.occurredAt = e.occurredAt.adding(seconds: 60)
        case .actor: e.actor = "user:someone-else"
        case .correlationId: e.correlationId = nil
        case .causationId: e.causationId = UUID(uuidString: "00000000-0000-4000-8000-000000000003")
        case .metadata: e.metadata = json(#"{"command":"y"}"#)
        }
        return e
    }

    @Test(
        "the same id on an event that differs in any field is refused, naming the field and the stored position",
        arguments: Change.allCases)
    func differs(_ change: Change) async throws {
        try await withStore { store, _ in
            let id = UUID()
            _ = try await store.append([event("other")], to: "other")
            let first = try await store.append(AppendRequest(events: [Self.original(id)]))
            let error = await #expect(throws: EventStoreError.self) {
                _ = try await store.append(
                    AppendRequest(events: [event("x"), Self.changed(Self.original(id), change)]))
            }
            #expect(error?.code == .idempotencyConflict)
            #expect(error?.eventIndex == 1)
            let message = error?.message ?? ""
            #expect(
                message.hasPrefix(
                    "events[1]: event id \(id.uuidString.lowercased()) is already stored at position \(first.lastPosition) as a different event"
                ), "\(message)")
            let field = change == .payload ? "data" : change == .payloadEncoding ? "payload encoding" : change.rawValue
            #expect(message.contains("(\(field): "), "\(message)")
            #expect(try store.head().position == 2, "nothing was written")
        }
    }

    @Test("the very same event again is a retry: the original position, nothing written")
    func same() async throws {
        try await withStore { store, _ in
            let id = UUID()
            let first = try await store.append(AppendRequest(events: [Self.original(id)]))
            let again = try await store.append(AppendRequest(events: [Self.original(id)]))
            #expect(again.alreadyStored && again.events == first.events)
            #expect(try store.head().position == 1)
        }
    }

    @Test("an append straddling stored and new ids names the first new event and the stored one")
    func straddle() async throws {
        try await withStore { store, _ in
            let ids = (0..<4).map { _ in UUID() }
            _ = try await store.append(AppendRequest(events: ids[0..<2].map { event("s", id: $0) }))
            let error = await #expect(throws: EventStoreError.self) {
                _ = try await store.append(AppendRequest(events: ids.map { event("s", id: $0) }))
            }
            #expect(error?.code == .idempotencyConflict)
            #expect(error?.eventIndex == 2)
            let message = error?.message ?? ""
            #expect(
                message.hasPrefix(
                    "events[2]: this event is new (id \(ids[2].uuidString.lowercased()) is not stored), but events[0] of the same append is stored already (id \(ids[0].uuidString.lowercased()) at position 1); 2 of the append's 4 events are stored"
                ), "\(message)")
            #expect(try store.head().position == 2)
        }
    }
}
