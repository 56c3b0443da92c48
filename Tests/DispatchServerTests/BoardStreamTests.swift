import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("The live case board as Server-Sent Events")
struct BoardStreamTests {
    @Test(
        "the board comes at once, again when a command changes it, not for events that leave it as it was; a reconnect with the last id sends nothing twice"
    )
    func follows() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let token = try #require(dispatcher[.authorization])
        try await withServer(scratch, mode: .live) { client, _ in
            let port = try #require(client.port)
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            // Wait until the views hold the case, so the first board has it.
            _ = try await eventuallyJSON(client, "/v1/views/case-board", dispatcher) {
                ($0["cases"] as? [Any])?.count == 1
            }
            let stream = try SSEClient(
                port: port, path: "/v1/views/case-board/stream", headers: ["Authorization": token])
            let first = await stream.messages(count: 1, seconds: 5)
            #expect(first.map(\.type) == ["board"])
            let board = try #require(first.first.flatMap { Self.object($0.data) })
            #expect((board["cases"] as? [[String: Any]])?.first?["caseId"] as? String == "C-2026A00017")

            // Reads (access records) move the log but not the board: nothing is sent.
            _ = try await client.send(.get, "/v1/views/case-board", dispatcher)
            #expect(await stream.messages(count: 2, seconds: 1).count == 1)

            // A command that changes the board: a new board with the request on it.
            _ = try await client.send(
                .post, "/v1/commands/request-response", dispatcher,
                json: #"{"caseId":"C-2026A00017","role":"advocate"}"#)
            let second = await stream.messages(count: 2, seconds: 5)
            #expect(second.count == 2)
            let changed = try #require(second.last.flatMap { Self.object($0.data) })
            #expect(((changed["cases"] as? [[String: Any]])?.first?["requests"] as? [Any])?.count == 1)
            let lastId = try #require(second.last?.id)

            // Reconnecting with the last id: the client holds the board already, so nothing comes.
            let resumed = try SSEClient(
                port: port, path: "/v1/views/case-board/stream",
                headers: ["Authorization": token, "Last-Event-ID": lastId])
            #expect(await resumed.messages(count: 1, seconds: 1).isEmpty)
            // …until the board changes.
            _ = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher,
                json: recoveryBody("C-2026A00018", youth: "Y-7K2M9Q4D1Z"))
            let next = await resumed.messages(count: 1, seconds: 5)
            #expect((next.first.flatMap { Self.object($0.data) }?["cases"] as? [Any])?.count == 2)
        }
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
