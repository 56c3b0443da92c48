import EventStore
import Foundation
import Testing

@Suite("Restore")
struct RestoreTests {
    /// The events of `store` as a restore would get them from an export.
    private func exported(_ store: EventStore) throws -> [NewEvent] {
        try store.read(from: 1, limit: .max).map { e in
            var event = NewEvent(
                id: e.id, stream: e.stream, type: e.type, schemaVersion: e.schemaVersion, occurredAt: e.occurredAt,
                actor: e.actor, correlationId: e.correlationId, causationId: e.causationId, metadata: e.metadata,
                payload: e.payload, payloadEncoding: e.payloadEncoding)
            event.restore = NewEvent.Restore(position: e.position, recordedAt: e.recordedAt, hash: e.hash)
            return event
        }
    }

    @Test("a restored log is the same log: positions, recordedAt and chain head")
    func identical() async throws {
        let source = try await withStore { store, _ in
            for i in 0..<20 {
                _ = try await store.append(AppendRequest(events: [event("s-\(i % 3)", payload: #"{"i":\#(i)}"#)]))
            }
            return (try exported(store), try store.read(from: 1, limit: .max), try store.head())
        }
        // A different clock in the target: recordedAt must still come from the export.
        let later: @Sendable () -> Timestamp = { Timestamp(seconds: 2_000_000_000) }
        try await withStore(clock: later) { target, _ in
            _ = try await target.restore(Array(source.0.prefix(7)))
            _ = try await target.restore(Array(source.0.dropFirst(7)))
            #expect(try target.read(from: 1, limit: .max) == source.1)
            #expect(try target.head() == source.2)
            #expect(try target.verify().isValid)
            // Restoring again is an idempotent retry.
            #expect(try await target.restore(source.0).alreadyStored)
        }
    }

    @Test("a changed export is refused and nothing of it is written")
    func tampered() async throws {
        let source = try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<5).map { event("s", payload: #"{"i":\#($0)}"#) }))
            return try exported(store)
        }
        try await withStore { target, _ in
            var changed = source
            changed[3].payload = json(#"{"i":99}"#)
            await #expect {
                _ = try await target.restore(changed)
            } throws: { error in
                guard let error = error as? EventStoreError else { return false }
                return error.eventIndex == 3 && error.message.contains("position 4 hashes to")
            }
            let head = try target.head().position
            #expect(head == 0)
        }
    }

    @Test("a restore must continue the log where it ends, and append refuses restore envelopes")
    func wrongPlace() async throws {
        let source = try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<4).map { _ in event("s") }))
            return try exported(store)
        }
        try await withStore { target, _ in
            await #expect(throws: EventStoreError.self) { _ = try await target.restore(Array(source.dropFirst(2))) }
            await #expect(throws: EventStoreError.self) { _ = try await target.append(AppendRequest(events: source)) }
            let head = try target.head().position
            #expect(head == 0)
        }
    }

    @Test("a failing restore in a group commit does not fail the appends committed with it")
    func isolation() async throws {
        let source = try await withStore { store, _ in
            _ = try await store.append(AppendRequest(events: (0..<3).map { _ in event("s") }))
            return try exported(store)
        }
        try await withStore { target, _ in
            var bad = source
            bad[2].restore?.hash = [UInt8](repeating: 0, count: 32)
            let broken = bad
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await target.restore(broken)) != nil }
                for i in 0..<16 {
                    group.addTask { (try? await target.append([event("other-\(i)")], to: "other-\(i)")) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 16)
            let positions = try target.read(from: 1, limit: 100).map(\.position)
            #expect(positions == Array(1...16))
            #expect(try target.verify().isValid)
        }
    }
}
