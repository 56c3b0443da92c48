import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HummingbirdTesting
import Logging
import Testing
import VigilEngine

/// Serves the store in `scratch` (made with the county, then reopened read-only) as a read-only
/// replica whose access records go to `access`.
private func withReplica(
    _ scratch: Scratch, access: EventStore, _ test: @Sendable (any TestClientProtocol, Engine) async throws -> Void
) async throws {
    let leader = try Engine.open(directory: scratch.path)
    _ = try await leader.commands.registerCounty(
        try CountyList.shipped("los-angeles.json"),
        envelope: CommandEnvelope(occurredAt: Timestamp(seconds: 946_684_800), actor: "user:county-admin"))
    leader.close()
    let replica = try Engine.open(directory: scratch.path, options: .readOnly)
    var logger = Logger(label: "vigil.test")
    logger.logLevel = .critical
    let server = DispatchServer(
        engine: replica,
        configuration: ServerConfiguration(
            port: 0, replica: ReplicaServing(leader: "http://leader.example:8080", pollInterval: .milliseconds(50))),
        logger: logger, accessStore: access)
    try await server.application().test(.router) { client in try await test(client, replica) }
}

@Suite("A read-only replica's readiness")
struct ReplicaReadinessTests {
    @Test(
        "a replica whose access store is full is degraded (storage full): it can record no read of case details, so serves none"
    )
    func fullAccessStore() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        var options = EventStore.Options()
        options.environment.mapSize = 1 << 20
        options.environment.maxMapSize = 1 << 20
        let accessDirectory = scratch.path + "-access"
        defer { try? FileManager.default.removeItem(atPath: accessDirectory) }
        let access = try EventStore.open(directory: accessDirectory, options: options)
        try await withReplica(scratch, access: access) { client, replica in
            #expect(try await eventually { try await client.execute(uri: "/readyz", method: .get).status == .ok })
            #expect(try await client.send(.get, "/v1/events?limit=1", dispatcher).status == .ok)
            // Fill the access store as other readers would, until it refuses for want of space.
            filling: for n in 1...20_000 {
                let event = NewEvent(
                    stream: "filler", type: "Filler", occurredAt: Timestamp(seconds: 1_767_225_600), actor: "user:test",
                    payload: Array(#"{"n":\#(n),"pad":"\#(String(repeating: "x", count: 900))"}"#.utf8))
                do {
                    _ = try await access.append([event], to: "filler")
                } catch let error as EventStoreError where error.meansNoSpace {
                    break filling
                }
            }
            let accessHead = try access.head().position
            let replicaHead = try replica.store.head().position
            let refused = try await client.send(.get, "/v1/events?limit=1", dispatcher)
            #expect(refused.status.code == 507, "\(refused.text)")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.text.contains("degraded: storage full"), "\(ready.text)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try access.head().position == accessHead, "nothing was recorded")
            #expect(try replica.store.head().position == replicaHead, "nothing was written to the replica")
        }
    }
}
