import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("The log over HTTP: pages and Server-Sent Events")
struct EventStreamTests {
    @Test("GET /v1/events pages through the log; the access stream is for auditors only")
    func pages() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let auditor = try bearer(scratch, .auditor)
        try await withServer(scratch) { client, _ in
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            let page = try await client.send(.get, "/v1/events?after=\(county + 1)&limit=2", dispatcher)
            #expect(page.status == .ok)
            let events = try #require(page.object["events"] as? [[String: Any]])
            #expect(events.map { $0["position"] as? Int } == [Int(county) + 2, Int(county) + 3])
            #expect(page.object["next"] as? Int == Int(county) + 3)
            // The dispatcher's read was itself logged (position county + 4); only the auditor sees it.
            let all = try await client.send(.get, "/v1/events", dispatcher)
            #expect(
                (all.object["events"] as? [[String: Any]])?.compactMap { $0["stream"] as? String }.contains("access")
                    == false)
            let audited = try await client.send(.get, "/v1/events", auditor)
            #expect(
                (audited.object["events"] as? [[String: Any]])?.compactMap { $0["stream"] as? String }.contains(
                    "access") == true)
            let bad = try await client.send(.get, "/v1/events?after=minus-one", dispatcher)
            #expect(bad.status == .badRequest)
        }
    }

    @Test(
        "the stream delivers history then live events; a reconnect with Last-Event-ID resumes with no gap and no duplicate"
    )
    func resumes() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let token = try #require(dispatcher[.authorization])
        try await withServer(scratch, mode: .live) { client, _ in
            let port = try #require(client.port)
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            // From after the county's reference data, which every test log starts with.
            let first = try SSEClient(
                port: port, path: "/v1/events/stream", headers: ["Authorization": token, "Last-Event-ID": "\(county)"])
            let history = await first.events(count: 3, seconds: 5)
            let c = county
            #expect(history.map(\.id) == [c + 1, c + 2, c + 3])
            #expect(history.first?.type == "RecoveryReported")
            // Live: a command appended while the stream is open arrives without a reconnect.
            _ = try await client.send(.post, "/v1/commands/create-hotline-referral", dispatcher, json: referralBody())
            let live = await first.events(count: 5, seconds: 5).filter { $0.id > c + 3 }
            #expect(live.map(\.type) == ["HotlineReferralCreated", "TimerScheduled"])
            let lastSeen = try #require(live.last?.id)

            // More events while disconnected, then a reconnect from the last id seen.
            _ = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher,
                json: recoveryBody("C-2026A00018", youth: "Y-7K2M9Q4D1Z"))
            let second = try SSEClient(
                port: port, path: "/v1/events/stream",
                headers: ["Authorization": token, "Last-Event-ID": "\(lastSeen)"])
            let resumed = await second.events(count: 3, seconds: 5)
            #expect(resumed.first?.type == "RecoveryReported")
            let ids = (history + live + resumed).map(\.id)
            #expect(ids == Array(ids.sorted()))
            #expect(Set(ids).count == ids.count)
            #expect(resumed.allSatisfy { $0.id > lastSeen })
        }
    }
}
