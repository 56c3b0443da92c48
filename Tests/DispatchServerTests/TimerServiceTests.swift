import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilEngine

/// A recovery whose 72-hour clocks (HEALTH-72, PROTOCOL-72) fall due `dueIn` seconds from now.
private func recovery(_ caseId: String, dueIn seconds: Int64) -> String {
    let now = Timestamp.now()
    let contact = now.adding(seconds: seconds - 72 * 3600)
    return """
        {"command":"report-recovery","occurredAt":"\(max(contact, now.adding(seconds: -1)).rfc3339)","actor":"user:dispatcher-1","caseId":"\(caseId)","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"\(contact.rfc3339)","context":"street","ageAtContact":15,"language":"es","onSupervision":"none","awol":false}
        """
}

private func firedTimers(_ store: EventStore) throws -> [RecordedEvent] {
    try store.read(from: 1, limit: 1_000).filter { $0.type == "TimerFired" }
}

/// The due time each scheduled timer of the log was given, by timer id (the payload read in whichever
/// encoding it was stored).
private func dueTimes(_ store: EventStore) throws -> [String: Timestamp] {
    var out: [String: Timestamp] = [:]
    for event in try store.read(from: 1, limit: 1_000) where event.type == "TimerScheduled" {
        if let scheduled = try EventCatalog.decode(event) as? TimerScheduled {
            out[scheduled.timerId.rawValue] = scheduled.dueAt
        }
    }
    return out
}

/// The timer id a `TimerFired` names.
private func timerId(_ event: RecordedEvent) throws -> String? {
    (try EventCatalog.decode(event) as? TimerFired)?.timerId.rawValue
}

@Suite("The timer service on the wall clock")
struct TimerServiceTests {
    @Test("timers that fell due while the daemon was down fire at start-up, before it reports ready")
    func catchesUp() async throws {
        let overdue: (Engine) async throws -> Void = { engine in
            _ = try await engine.commands.handle(json: Array(recovery("C-2026A00017", dueIn: -3600).utf8))
        }
        try await withServer(prepare: overdue) { client, engine in
            let ready = try await eventually { try await client.execute(uri: "/readyz", method: .get).status == .ok }
            #expect(ready)
            let fired = try firedTimers(engine.store)
            #expect(fired.count == 2)
            // Each fired as of its own due time: the log is the same as if the daemon had never stopped.
            let due = try dueTimes(engine.store)
            for event in fired {
                #expect(event.occurredAt == due[try timerId(event) ?? ""])
            }
        }
    }

    /// How late timers fire is measured by scripts/load-test (a timed test would only measure how busy
    /// the machine is); this checks that they fire by themselves, as of their due time, after it.
    @Test("a timer falling due while the daemon runs fires by itself, as of its due time")
    func firesOnTime() async throws {
        let dueSoon: (Engine) async throws -> Void = { engine in
            _ = try await engine.commands.handle(json: Array(recovery("C-2026A00017", dueIn: 2).utf8))
        }
        try await withServer(
            configuration: ServerConfiguration(port: 0, timerInterval: .milliseconds(250)), prepare: dueSoon
        ) { _, engine in
            let fired = try await eventually(seconds: 60) { try firedTimers(engine.store).count == 2 }
            #expect(fired)
            let due = try dueTimes(engine.store)
            for event in try firedTimers(engine.store) {
                #expect(event.occurredAt == due[try timerId(event) ?? ""])
                #expect(event.recordedAt >= event.occurredAt)
            }
        }
    }

    @Test("many timers due at once all fire, each once and as of its own due time (handled concurrently)")
    func manyAtOnce() async throws {
        let overdue: (Engine) async throws -> Void = { engine in
            for n in 1...12 {
                let caseId = "C-2026A000\(n + 10)"
                _ = try await engine.commands.handle(json: Array(recovery(caseId, dueIn: -3600 - Int64(n)).utf8))
            }
        }
        try await withServer(prepare: overdue) { client, engine in
            let ready = try await eventually(seconds: 60) {
                try await client.execute(uri: "/readyz", method: .get).status == .ok
            }
            #expect(ready)
            let fired = try firedTimers(engine.store)
            let ids = try fired.map { try timerId($0) ?? "" }
            #expect(fired.count == 24)
            #expect(Set(ids).count == 24, "each timer fired once")
            let due = try dueTimes(engine.store)
            for event in fired {
                #expect(event.occurredAt == due[try timerId(event) ?? ""])
            }
        }
    }

    /// The loop sleeps until the next timer is due, not for a fixed interval: with an interval of a
    /// minute, a timer due in two seconds still fires long before the minute is up.
    @Test("the loop wakes when the next timer falls due, not only every interval")
    func wakesAtDueTime() async throws {
        let dueSoon: (Engine) async throws -> Void = { engine in
            _ = try await engine.commands.handle(json: Array(recovery("C-2026A00017", dueIn: 2).utf8))
        }
        try await withServer(
            configuration: ServerConfiguration(port: 0, timerInterval: .seconds(60)), prepare: dueSoon
        ) { _, engine in
            let fired = try await eventually(seconds: 40) { try firedTimers(engine.store).count == 2 }
            #expect(fired, "fired before the minute's interval was up")
        }
    }
}
