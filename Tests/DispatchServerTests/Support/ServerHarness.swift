import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import VigilEngine

/// A directory of its own for one test (tests run in parallel), removed afterwards.
final class Scratch: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-serve-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The events the county's reference data (the shipped Los Angeles County list) takes at the head of
/// every test's log: ``withServer(_:configuration:mode:prepare:_:)`` registers it first, as a county
/// does before its first recovery. Positions after it are `county + n`.
let county: UInt64 = {
    let list = try! CountyList.shipped("los-angeles.json")
    return UInt64(list.areas.count + list.agencies.count + list.stations.count)
}()

/// Runs `test` against a daemon over a fresh data directory holding the county's reference data
/// (``county`` events), in Hummingbird's router test mode (no socket); the daemon's services (the
/// timer loop, the engine's closing) run around it.
func withServer<Value: Sendable>(
    _ scratch: Scratch = Scratch(),
    configuration: ServerConfiguration = ServerConfiguration(port: 0, timerInterval: .milliseconds(50)),
    mode: TestingSetup = .router,
    engineOptions: Engine.Options = Engine.Options(),
    prepare: (Engine) async throws -> Void = { _ in },
    _ test: @Sendable (any TestClientProtocol, Engine) async throws -> Value
) async throws -> Value {
    let engine = try Engine.open(directory: scratch.path, options: engineOptions)
    let registered = try await engine.commands.registerCounty(
        try CountyList.shipped("los-angeles.json"),
        envelope: CommandEnvelope(occurredAt: Timestamp(seconds: 946_684_800), actor: "user:county-admin"))
    let head = try engine.store.head().position
    precondition(UInt64(registered) == county && head == county, "the county list changed: \(registered) events")
    try await prepare(engine)
    var logger = Logger(label: "vigil.test")
    logger.logLevel = .warning
    let server = DispatchServer(engine: engine, configuration: configuration, logger: logger)
    return try await server.application().test(mode) { client in
        try await test(client, engine)
    }
}

/// Makes a token with `role` in the daemon's data directory; returns the `Authorization` header.
func bearer(_ scratch: Scratch, _ role: Role, name: String? = nil) throws -> HTTPFields {
    let (token, _) = try TokenFile.create(in: scratch.path, actor: "user:" + (name ?? "\(role.rawValue)-1"), role: role)
    return [.authorization: "Bearer \(token)"]
}

extension TestClientProtocol {
    /// Sends a JSON body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields, json: String? = nil
    ) async throws -> TestResponse {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

/// Polls `condition` every 20 ms for at most `seconds`.
func eventually(seconds: Double = 5, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
