import EventStore
import FirstResponder
import Foundation
import LMDB
import Testing

private let t0 = Timestamp(seconds: 1_773_454_380)  // 2026-03-14T02:13:00Z

private func timerEvent(
    _ type: String, _ id: String, due: Timestamp? = nil, kind: String = "ack-timeout", at: Timestamp = t0
)
    -> NewEvent
{
    var fields = [#""timerId":"\#(id)""#, #""caseId":"C-2026A00017""#]
    if kind != "protocol-72" && type != "TimerCancelled" { fields.append(#""requestId":"RQ-2026A00017-1""#) }
    if kind == "ack-timeout" && type != "TimerCancelled" { fields.append(#""responderId":"R-ADV017""#) }
    if let due { fields += [#""dueAt":"\#(due.rfc3339)""#, #""kind":"\#(kind)""#] }
    if type == "TimerCancelled" { fields.append(#""reasonCode":"acknowledged""#) }
    return NewEvent(
        stream: "case-C-2026A00017", type: type, occurredAt: at, actor: "system:test",
        payload: Array("{\(fields.joined(separator: ","))}".utf8))
}

/// A store with a timer index, in its own directory.
private final class TimerStore {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-timers-\(UUID().uuidString)").path
    var index = TimerIndex()
    var store: EventStore

    init() throws {
        store = try EventStore.open(directory: path, options: EventStore.Options(inlineProjections: [index]))
    }

    /// Closes and opens again, as after a restart (a new process would make a new index object).
    func reopen(projections: Bool = true) throws {
        store.close()
        index = TimerIndex()
        store = try EventStore.open(
            directory: path, options: EventStore.Options(inlineProjections: projections ? [index] : []))
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite("Durable timers")
struct TimerIndexTests {
    @Test("scheduled timers are indexed by due time in the same transaction; cancelled and fired ones leave")
    func lifecycle() async throws {
        let s = try TimerStore()
        _ = try await s.store.append(
            AppendRequest(events: [
                timerEvent("TimerScheduled", "T-A-ACK", due: t0.adding(seconds: 300)),
                timerEvent("TimerScheduled", "T-A-90", due: t0.adding(seconds: 5_400), kind: "advocate-on-scene"),
                timerEvent("TimerScheduled", "T-A-72", due: t0.adding(seconds: 259_200), kind: "protocol-72"),
            ]))
        #expect(try s.index.pending(in: s.store.environment).map(\.timerId) == ["T-A-ACK", "T-A-90", "T-A-72"])
        #expect(try s.store.checkpoint(of: "timers") == 3)
        _ = try await s.store.append(AppendRequest(events: [timerEvent("TimerCancelled", "T-A-ACK")]))
        let due = try s.index.due(asOf: t0.adding(seconds: 6_000), in: s.store.environment)
        #expect(due.map(\.timerId) == ["T-A-90"])
        #expect(due.first?.stream == "case-C-2026A00017" && due.first?.scheduledAt == 2)
        // Re-scheduling moves a timer.
        _ = try await s.store.append(
            AppendRequest(events: [timerEvent("TimerScheduled", "T-A-90", due: t0.adding(seconds: 9_000))]))
        #expect(try s.index.timer("T-A-90", in: s.store.environment)?.dueAt == t0.adding(seconds: 9_000))
        #expect(try s.index.pending(in: s.store.environment).count == 2)
    }

    @Test("a restart loses no timer, and an index added to an existing store catches up from the log")
    func restartAndCatchUp() async throws {
        let s = try TimerStore()
        try s.reopen(projections: false)
        _ = try await s.store.append(
            AppendRequest(events: [
                timerEvent("TimerScheduled", "T-B-ACK", due: t0.adding(seconds: 300)),
                timerEvent("TimerScheduled", "T-B-72", due: t0.adding(seconds: 259_200), kind: "protocol-72"),
                timerEvent("TimerFired", "T-B-ACK", due: t0.adding(seconds: 300)),
            ]))
        try s.reopen()
        #expect(try s.index.pending(in: s.store.environment).map(\.timerId) == ["T-B-72"])
        #expect(try s.store.checkpoint(of: "timers") == 3)
        try s.reopen()
        #expect(try s.index.pending(in: s.store.environment).map(\.timerId) == ["T-B-72"])
        // A rebuild from scratch gives the same index.
        try s.store.rebuild(s.index)
        #expect(try s.index.pending(in: s.store.environment).map(\.timerId) == ["T-B-72"])
    }

    @Test("firing is idempotent and driven by the time it is given")
    func firing() async throws {
        let s = try TimerStore()
        _ = try await s.store.append(
            AppendRequest(events: [
                timerEvent("TimerScheduled", "T-C-ACK", due: t0.adding(seconds: 300)),
                timerEvent("TimerScheduled", "T-C-90", due: t0.adding(seconds: 5_400), kind: "advocate-on-scene"),
            ]))
        let service = TimerService(store: s.store, index: s.index)
        #expect(try await service.fireDue(now: t0.adding(seconds: 299)).isEmpty)
        #expect(try await service.fireDue(now: t0.adding(seconds: 301)).map(\.timerId) == ["T-C-ACK"])
        #expect(try await service.fireDue(now: t0.adding(seconds: 302)).isEmpty)
        let fired = try s.store.read(from: 3, limit: 10)
        #expect(fired.map(\.type) == ["TimerFired"])
        // It occurred at its due time, whenever the loop got to it: a second firing sends the same event.
        #expect(fired.first?.occurredAt == t0.adding(seconds: 300))
        // The same firing appended again (a crash before the acknowledgement) writes nothing.
        let again = NewEvent(
            id: fired[0].id, stream: fired[0].stream, type: "TimerFired", occurredAt: fired[0].occurredAt,
            actor: "system:timers",
            payload: fired[0].payload)
        #expect(try await s.store.append(AppendRequest(events: [again])).alreadyStored)
        #expect(try s.store.head().position == 3)
    }

    @Test("a timer event without its fields is refused before anything is written")
    func malformed() async throws {
        let s = try TimerStore()
        let bad = NewEvent(
            stream: "case-C-2026A00017", type: "TimerScheduled", occurredAt: t0, actor: "system:test",
            payload: Array(
                #"{"timerId":"T-2026A00017-1-ACK-1","kind":"ack-timeout","dueAt":"soon","requestId":"RQ-2026A00017-1","responderId":"R-ADV017"}"#
                    .utf8))
        await #expect {
            _ = try await s.store.append(AppendRequest(events: [bad]))
        } throws: { ($0 as? EventStoreError)?.message.contains("dueAt") == true }
        let head = try s.store.head().position
        #expect(head == 0)
    }
}
