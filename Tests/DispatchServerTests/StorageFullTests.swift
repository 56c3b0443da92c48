import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilEngine

/// A store whose map may not grow past 1 MiB: it fills like a full disk after a few hundred recoveries.
private var smallStore: Engine.Options {
    var options = Engine.Options(initialMapSize: 1 << 20)
    options.maxMapSize = 1 << 20
    return options
}

/// Reports recoveries straight through the engine until the store refuses one for want of space
/// (at most 20,000): the daemon has not seen the refusal. Done once the daemon is ready (its views
/// folded before the store filled).
private func fill(_ engine: Engine) async throws {
    for n in 1...20_000 {
        do {
            _ = try await engine.commands.handle(
                json: Array(
                    #"{"command":"report-recovery","actor":"user:dispatcher-1",\#(recoveryBody(String(format: "C-2026F%05d", n)).dropFirst())"#
                        .utf8))
        } catch let error as EventStoreError where error.meansNoSpace {
            return
        }
    }
    Issue.record("the store never filled")
}

/// Sends recoveries over HTTP until the daemon refuses one with 507 (a store nearly full may still
/// take a small write or two); the log's head just before the refused one, or `nil` if none was
/// refused in 200.
private func refuse(_ client: any TestClientProtocol, _ headers: HTTPFields, _ engine: Engine) async throws
    -> UInt64?
{
    for n in 1...200 {
        let head = try engine.store.head().position
        let response = try await client.send(
            .post, "/v1/commands/report-recovery", headers, json: recoveryBody(String(format: "C-2026G%05d", n)))
        if response.status.code == 507 { return head }
    }
    return nil
}

@Suite("A full store")
struct StorageFullTests {
    @Test("writes refused for want of space: 507, /readyz degraded (storage full) while /healthz stays ok")
    func degradedReadiness() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        try await withServer(scratch, engineOptions: smallStore) { client, engine in
            #expect(try await eventually { try await client.execute(uri: "/readyz", method: .get).status == .ok })
            try await fill(engine)
            let head = try #require(try await refuse(client, dispatcher, engine))
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.text.contains("degraded: storage full"), "\(ready.text)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try engine.store.head().position == head, "nothing was written")
        }
    }

    @Test("readiness comes back once no write has been refused for the hold (requests may then find space again)")
    func readinessRecovers() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let configuration = ServerConfiguration(
            port: 0, timerInterval: .milliseconds(50), storageFullHold: .seconds(3))
        try await withServer(scratch, configuration: configuration, engineOptions: smallStore) { client, engine in
            #expect(try await eventually { try await client.execute(uri: "/readyz", method: .get).status == .ok })
            try await fill(engine)
            #expect(try await refuse(client, dispatcher, engine) != nil)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            let back = try await eventually(seconds: 30) {
                try await client.execute(uri: "/readyz", method: .get).status == .ok
            }
            #expect(back)
        }
    }
}
