import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The largest event position in a command's answer.
private func written(_ answer: TestResponse) throws -> Int {
    try #require((answer.object["events"] as? [[String: Any]])?.compactMap { $0["position"] as? Int }.max())
}

@Suite("Reading one's own writes: ?minPosition on the views")
struct ViewConsistencyTests {
    @Test("a read given a command's position answers with the views past it, however slowly they fold")
    func readsOwnWrites() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let supervisor = try bearer(scratch, .supervisor)
        // Views fold at most every 400 ms: a read right after a command would usually find them before it.
        let configuration = ServerConfiguration(
            port: 0, timerInterval: .milliseconds(50), viewsInterval: .milliseconds(400))
        try await withServer(scratch, configuration: configuration) { client, _ in
            try await rosterCommands(client, supervisor)
            let reported = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            #expect(reported.status == .created)
            let requested = try await client.send(
                .post, "/v1/commands/request-response", dispatcher,
                json: #"{"caseId":"C-2026A00017","role":"advocate"}"#)
            let position = try written(requested)

            let file = try await client.send(.get, "/v1/cases/C-2026A00017?minPosition=\(position)", dispatcher)
            #expect(file.status == .ok)
            #expect(try #require(file.object["position"] as? Int) >= position)
            let requests = (file.object["case"] as? [String: Any])?["requests"] as? [[String: Any]]
            #expect(requests?.count == 1)
            #expect(requests?.first?["phase"] as? String == "awaiting")

            let board = try await client.send(.get, "/v1/views/case-board?minPosition=\(position)", dispatcher)
            #expect(board.status == .ok)
            #expect(try #require(board.object["position"] as? Int) >= position)
            let cases = board.object["cases"] as? [[String: Any]]
            #expect(cases?.first { $0["caseId"] as? String == "C-2026A00017" }?["requests"] as? [Any] != nil)
            let figures = try await client.send(
                .get, "/v1/views/recoveries?minPosition=\(position)", supervisor)
            #expect(try #require(figures.object["position"] as? Int) >= position)
        }
    }

    @Test("minPosition that is not a position, or beyond the log's head, is a 400 naming it")
    func refusesBadPositions() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, _ in
            let words = try await client.send(.get, "/v1/views/case-board?minPosition=soon", dispatcher)
            #expect(words.status == .badRequest)
            #expect(words.object["type"] as? String == "urn:vigil:problem:invalid-parameter")
            #expect((words.object["detail"] as? String)?.hasPrefix("minPosition must be a log position") == true)

            let beyond = try await client.send(.get, "/v1/cases/C-2026A00017?minPosition=\(county + 500)", dispatcher)
            #expect(beyond.status == .badRequest)
            #expect(
                (beyond.object["detail"] as? String)?.hasPrefix(
                    "minPosition must be a position the log has reached (its head is \(county))") == true)
            // Without a token nobody waits or learns the head: 401 first.
            let anonymous = try await client.send(.get, "/v1/views/case-board?minPosition=\(county + 500)", [:])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test(
        "views that do not fold the position in time give 503 views-behind with Retry-After, and nothing else changes")
    func viewsBehind() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let supervisor = try bearer(scratch, .supervisor)
        // After the first pass the views fold again only a minute later; a read waits 300 ms.
        let configuration = ServerConfiguration(
            port: 0, timerInterval: .milliseconds(50), viewsInterval: .seconds(60),
            viewsWaitLimit: .milliseconds(300))
        try await withServer(scratch, configuration: configuration) { client, engine in
            #expect(
                try await eventually {
                    try await client.send(.get, "/v1/views/case-board?minPosition=\(county)", dispatcher).status == .ok
                })
            try await rosterCommands(client, supervisor)
            let reported = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            let position = try written(reported)
            let head = try engine.store.head().position

            let started = ContinuousClock.now
            let behind = try await client.send(.get, "/v1/cases/C-2026A00017?minPosition=\(position)", dispatcher)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.object["type"] as? String == "urn:vigil:problem:views-behind")
            #expect(behind.object["minPosition"] as? Int == position)
            #expect(try #require(behind.object["viewsPosition"] as? Int) < position)
            #expect(behind.headers[.retryAfter] == "1")
            #expect(try engine.store.head().position == head)
            // Without minPosition the same read answers at once, from the views as they stand.
            let now = try await client.send(.get, "/v1/views/case-board", dispatcher)
            #expect(now.status == .ok)
            #expect(try #require(now.object["position"] as? Int) < position)
        }
    }
}
