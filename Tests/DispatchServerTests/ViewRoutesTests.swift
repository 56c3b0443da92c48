import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A roster of one advocate on shift now, for `prepare:` (supervisor's commands over the API).
func rosterCommands(_ client: any TestClientProtocol, _ supervisor: HTTPFields, responder: String = "R-ADV001")
    async throws
{
    let now = Timestamp.now()
    let registered = try await client.send(
        .post, "/v1/commands/register-responder", supervisor,
        json:
            #"{"responderId":"\#(responder)","role":"advocate","organization":"SAVING-INNOCENCE","languages":["en","es"],"areas":["SPA2"]}"#
    )
    #expect(registered.status == .created)
    let shift = try await client.send(
        .post, "/v1/commands/schedule-shift", supervisor,
        json:
            #"{"shiftId":"SH-\#(responder.dropFirst(2))","responderId":"\#(responder)","startsAt":"\#(now.adding(seconds: -3600).rfc3339)","endsAt":"\#(now.adding(seconds: 8 * 3600).rfc3339)","onCall":false}"#
    )
    #expect(shift.status == .created)
}

/// Polls `GET path` until its JSON satisfies `condition` (the views fold a moment after a commit).
func eventuallyJSON(
    _ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields,
    _ condition: ([String: Any]) -> Bool
) async throws -> [String: Any] {
    var last: [String: Any] = [:]
    _ = try await eventually {
        last = try await client.send(.get, path, headers).object
        return condition(last)
    }
    return last
}

@Suite("Views over HTTP")
struct ViewRoutesTests {
    @Test(
        "the case board shows an open case with its request and clocks, to the dispatch desk only, and is access-logged"
    )
    func caseBoard() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let analyst = try bearer(scratch, .analyst)
        let auditor = try bearer(scratch, .auditor)
        try await withServer(scratch) { client, _ in
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            _ = try await client.send(
                .post, "/v1/commands/request-response", dispatcher,
                json: #"{"caseId":"C-2026A00017","role":"advocate"}"#)
            let board = try await eventuallyJSON(client, "/v1/views/case-board", dispatcher) {
                (($0["cases"] as? [[String: Any]])?.first?["requests"] as? [Any])?.count == 1
            }
            let entry = try #require((board["cases"] as? [[String: Any]])?.first)
            #expect(entry["caseId"] as? String == "C-2026A00017")
            #expect(entry["youthRef"] as? String == "Y-7K2M9Q4D1X")
            let clocks = try #require(entry["clocks"] as? [[String: Any]])
            #expect(clocks.contains { $0["serviceLevel"] as? String == "ADVOCATE-ON-SCENE" })
            #expect(board["lag"] is Int)

            let refused = try await client.send(.get, "/v1/views/case-board", analyst)
            #expect(refused.status == .forbidden)
            let filtered = try await client.send(.get, "/v1/views/case-board?area=SPA8", dispatcher)
            #expect((filtered.object["cases"] as? [Any])?.isEmpty == true)
            let bad = try await client.send(.get, "/v1/views/case-board?now=yesterday", dispatcher)
            #expect(bad.status == .badRequest)
            #expect((bad.object["detail"] as? String)?.contains("now must be an RFC 3339 time") == true)

            let access = try await client.send(.get, "/v1/audit/access?actor=user:dispatcher-1", auditor)
            let actions = (access.object["records"] as? [[String: Any]])?.compactMap {
                ($0["record"] as? [String: Any])?["action"] as? String
            }
            #expect(actions?.contains("caseBoard") == true)
        }
    }

    @Test("an analyst reads aggregate figures, never a case's clocks")
    func analystFigures() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let analyst = try bearer(scratch, .analyst)
        try await withServer(scratch) { client, _ in
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            // The views have folded the recovery (the county's reference data comes first).
            let recoveries = try await eventuallyJSON(client, "/v1/views/recoveries", analyst) {
                ($0["position"] as? Int ?? 0) > Int(county)
            }
            #expect(recoveries["position"] as? Int ?? 0 > Int(county))
            for path in ["/v1/views/response-times", "/v1/views/milestones", "/v1/views/arrests", "/v1/views/training"]
            {
                let response = try await client.send(.get, path, analyst)
                #expect(response.status == .ok, "\(path)")
            }
            let clocks = try await client.send(.get, "/v1/views/response-times?case=C-2026A00017", analyst)
            #expect(clocks.status == .forbidden)
            let byCase = try await client.send(.get, "/v1/views/response-times?case=C-2026A00017", dispatcher)
            #expect(byCase.status == .ok)
            #expect((byCase.object["clocks"] as? [Any])?.isEmpty == false)
            let roster = try await client.send(.get, "/v1/views/roster", analyst)
            #expect(roster.status == .forbidden)
            let level = try await client.send(.get, "/v1/views/response-times?level=NOT-A-LEVEL", analyst)
            #expect(level.status == .badRequest)
        }
    }
}
