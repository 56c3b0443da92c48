import EventStore
import Foundation
import Testing

@testable import FirstResponder

@Suite("Deterministic ids: name-based, and time-ordered")
struct DeterministicIDFormTests {
    /// The bytes of an id.
    static func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("the name-based form is RFC 9562's version 5 in the Vigil namespace, unchanged")
    func version5() {
        // Python: uuid.uuid5(uuid.UUID("6f1c0d9e-5a4b-4c3d-9e8f-7a6b5c4d3e2f"), "TimerFired timer-1 1800000000000000")
        #expect(
            DeterministicID.make("TimerFired timer-1 1800000000000000").uuidString.lowercased()
                == "f37dfecc-e7f1-5057-a4a9-7cf10e008dbf")
    }

    @Test("the time-ordered form: the milliseconds first, version 8, the variant, then the name's hash")
    func timeOrdered() {
        let millis: Int64 = 1_800_000_000_123
        let id = DeterministicID.make("TimerFired timer-1 1800000000123000", unixMillis: millis)
        let b = Self.bytes(id)
        #expect(b[0..<6].reduce(Int64(0)) { ($0 << 8) | Int64($1) } == millis)
        #expect(b[6] >> 4 == 8 && b[8] >> 6 == 0b10)
        // The same name at the same time is the same id; the hash bits are the version-5 id's.
        #expect(id == DeterministicID.make("TimerFired timer-1 1800000000123000", unixMillis: millis))
        let v5 = Self.bytes(DeterministicID.make("TimerFired timer-1 1800000000123000"))
        #expect(Array(b[7...]).dropFirst(1) == Array(v5[7...]).dropFirst(1))
        #expect(b[6] & 0x0F == v5[6] & 0x0F)
        // Later times sort later, whatever the names: the ids follow the log in the id index.
        let names = (0..<50).map { "name \($0)" }
        let ids = names.enumerated().map { i, name in
            Self.bytes(DeterministicID.make(name, unixMillis: millis + Int64(i)))
        }
        #expect(ids == ids.sorted { $0.lexicographicallyPrecedes($1) })
        // Out of range times are clamped, not wrapped.
        #expect(Self.bytes(DeterministicID.make("x", unixMillis: -5))[0..<6].allSatisfy { $0 == 0 })
        #expect(Self.bytes(DeterministicID.make("x", unixMillis: .max))[0..<6].allSatisfy { $0 == 0xFF })
    }

    @Test("a command's event ids keep a UUIDv7 key's milliseconds; any other key keeps the version-5 ids")
    func commandEvents() throws {
        let key = UUIDv7Generator(seed: 7).next(unixMillis: 1_800_000_000_456)
        #expect(UUIDv7Generator.unixMillis(ofV7: key) == 1_800_000_000_456)
        let id = DeterministicID.commandEvent(key, 2)
        #expect(id == DeterministicID.make("command \(key) 2", unixMillis: 1_800_000_000_456))
        #expect(DeterministicID.commandEvent(key, 2, legacy: true) == DeterministicID.make("command \(key) 2"))
        #expect(DeterministicID.commandEventForms(key) == [false, true])

        let v4 = try #require(UUID(uuidString: "8d6c1b9e-3a52-4f7e-9a41-2b7f0c9d1e55"))
        #expect(UUIDv7Generator.unixMillis(ofV7: v4) == nil)
        #expect(DeterministicID.commandEvent(v4, 0) == DeterministicID.make("command \(v4) 0"))
        #expect(DeterministicID.commandEventForms(v4) == [false])
    }

    @Test("the command event's name, written byte by byte, is the interpolated one for any key and index")
    func commandEventNames() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2_000 {
            let key = UUID()
            let index = round < 1_000 ? round : Int.random(in: 0...Int.max, using: &generator)
            #expect(DeterministicID.commandEventName(key, index) == Array("command \(key) \(index)".utf8))
        }
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(
            String(decoding: DeterministicID.commandEventName(zero, 0), as: UTF8.self)
                == "command 00000000-0000-0000-0000-000000000000 0")
    }
}

@Suite("Commands: a UUIDv7 commandId's events are stored under time-ordered ids")
struct OrderedCommandIDTests {
    static func assign(_ id: UUID) -> AssignManually {
        AssignManually(
            caseId: caseA, requestId: requestA1, responderId: responder("R-ADV001"),
            overrideReason: "Knows the family from a previous placement.", envelope: by(at(1), commandId: id))
    }

    @Test("the events get the key's milliseconds, and a retry is answered from the log")
    func ordered() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let key = UUIDv7Generator(seed: 3).next(unixMillis: 1_800_000_000_000)
        let first = try await h.run(Self.assign(key))
        #expect(!first.events.isEmpty)
        for (index, event) in first.events.enumerated() {
            #expect(event.id == DeterministicID.commandEvent(key, index))
            #expect(DeterministicIDFormTests.bytes(event.id)[6] >> 4 == 8)
        }
        let head = try h.head()
        let again = try await h.run(Self.assign(key))
        #expect(again.alreadyStored && again.events.map(\.position) == first.events.map(\.position))
        #expect(try h.head() == head)
        #expect(try h.handler.occurredAt(ofCommand: key) == at(1))
    }

    @Test("a command stored before ids were time-ordered (version-5 ids under a UUIDv7 key) is still found")
    func storedUnderTheFormBefore() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let key = UUIDv7Generator(seed: 4).next(unixMillis: 1_800_000_000_000)
        // What an earlier Vigil wrote for this command: its events under the version-5 ids.
        let prepared = try h.handler.prepare(Self.assign(key))
        let legacy = prepared.newEvents.enumerated().map { index, event in
            var event = event
            event.id = DeterministicID.commandEvent(key, index, legacy: true)
            return event
        }
        let written = try await h.store.append(AppendRequest(events: legacy, expectations: prepared.expectations))
        let head = try h.head()
        let retry = try await h.run(Self.assign(key))
        #expect(retry.alreadyStored)
        #expect(retry.events.map(\.position) == written.events.map(\.position))
        #expect(retry.events.map(\.id) == legacy.map { $0.id! })
        #expect(try h.head() == head)
        #expect(try h.handler.occurredAt(ofCommand: key) == at(1))
    }
}
