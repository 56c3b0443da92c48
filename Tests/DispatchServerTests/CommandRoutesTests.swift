import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilEngine

/// A recovery report's body (the daemon fills in `command` from the path and `actor` from the token):
/// contact ten minutes ago, so no clock falls due while a test runs.
func recoveryBody(_ caseId: String = "C-2026A00017", youth: String = "Y-7K2M9Q4D1X") -> String {
    let now = Timestamp.now()
    return """
        {"occurredAt":"\(now.adding(seconds: -300).rfc3339)","caseId":"\(caseId)","youthRef":"\(youth)","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"\(now.adding(seconds: -600).rfc3339)","context":"street","ageAtContact":15,"language":"es","onSupervision":"none","awol":false}
        """
}

func referralBody(_ caseId: String = "C-2026A00017") -> String {
    #"{"occurredAt":"\#(Timestamp.now().adding(seconds: -120).rfc3339)","caseId":"\#(caseId)","referralNumber":"0123456789012345678","responseCategory":"immediate"}"#
}

/// A recovery whose contact time is `contactAt`, as written in the body.
private func lateRecovery(_ contactAt: String) -> String {
    #"{"occurredAt":"2026-03-14T02:05:00Z","caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"\#(contactAt)","context":"street"}"#
}

@Suite("Commands over HTTP")
struct CommandRoutesTests {
    @Test("a command is appended once durable: 201 with its events, the caller as actor, and the case's ETag")
    func runsCommand() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher, name: "dispatcher-7")
        try await withServer(scratch) { client, engine in
            let response = try await client.send(
                .post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            #expect(response.status == .created)
            let events = try #require(response.object["events"] as? [[String: Any]])
            #expect(events.map { $0["type"] as? String } == ["RecoveryReported", "TimerScheduled", "TimerScheduled"])
            #expect(response.headers[.eTag] == #""case-C-2026A00017:3""#)
            let stored = try #require(try engine.store.event(at: county + 1))
            #expect(stored.actor == "user:dispatcher-7")
            #expect(stored.occurredAt < Timestamp.now().adding(seconds: -290))
        }
    }

    @Test("a retry with the same Idempotency-Key returns the first answer and writes nothing; another body is refused")
    func idempotency() async throws {
        let scratch = Scratch()
        var keyed = try bearer(scratch, .dispatcher)
        keyed[.init("Idempotency-Key")!] = "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81"
        let headers = keyed
        let body = recoveryBody()
        try await withServer(scratch) { client, engine in
            let first = try await client.send(.post, "/v1/commands/report-recovery", headers, json: body)
            #expect(first.status == .created)
            let head = try engine.store.head()
            let retry = try await client.send(.post, "/v1/commands/report-recovery", headers, json: body)
            #expect(retry.status == .ok)
            #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
            #expect((retry.object["events"] as? [Any])?.count == 3)
            #expect(try engine.store.head() == head)

            let other = try await client.send(
                .post, "/v1/commands/report-recovery", headers, json: recoveryBody("C-2026A00018"))
            #expect(other.status == .unprocessableContent)
            #expect(other.object["type"] as? String == "urn:vigil:problem:duplicate-command")
            #expect(other.object["pointer"] as? String == "/commandId")
            #expect(try engine.store.head() == head)

            var bad = headers
            bad[.init("Idempotency-Key")!] = "not-a-uuid"
            let invalid = try await client.send(.post, "/v1/commands/report-recovery", bad, json: body)
            #expect(invalid.status == .badRequest)
            #expect(invalid.object["type"] as? String == "urn:vigil:problem:invalid-idempotency-key")
        }
    }

    @Test("a retry that leaves occurredAt to the daemon is the same command: answered from the log, not refused")
    func idempotentRetryWithoutOccurredAt() async throws {
        let scratch = Scratch()
        var keyed = try bearer(scratch, .dispatcher)
        keyed[.init("Idempotency-Key")!] = "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a82"
        let headers = keyed
        // The daemon's clock fills occurredAt: a retry a moment later must not become another command.
        let body = #"{"caseId":"C-2026A00017","role":"advocate"}"#
        try await withServer(scratch) { client, engine in
            _ = try await client.send(
                .post, "/v1/commands/report-recovery", headers.removingIdempotencyKey, json: recoveryBody())
            let first = try await client.send(.post, "/v1/commands/request-response", headers, json: body)
            #expect(first.status == .created)
            let head = try engine.store.head()
            try await Task.sleep(for: .milliseconds(5))
            let retry = try await client.send(.post, "/v1/commands/request-response", headers, json: body)
            #expect(retry.status == .ok)
            #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(
                retry.text
                    == first.text.replacingOccurrences(of: #""alreadyStored":false"#, with: #""alreadyStored":true"#))
            #expect(try engine.store.head() == head)

            // Sent at once (a client retrying while its first attempt is in flight): one command, one 201,
            // the others its answer from the log — also an attempt that read the log before the first's
            // append and decided after it (the request already open). Eight cases, to meet that race.
            let events = try #require((first.object["events"] as? [Any])?.count)
            for k in 0..<8 {
                let caseId = "C-2026A0010\(k)"
                _ = try await client.send(
                    .post, "/v1/commands/report-recovery", headers.removingIdempotencyKey,
                    json: recoveryBody(caseId, youth: "Y-7K2M9Q4D2\(k)"))
                var again = headers
                again[.init("Idempotency-Key")!] = "0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7b0\(k)"
                let attempts = again
                let before = try engine.store.head().position
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            let response = try await client.send(
                                .post, "/v1/commands/request-response", attempts,
                                json: #"{"caseId":"\#(caseId)","role":"advocate"}"#)
                            return Int(response.status.code)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }.sorted()
                }
                #expect(statuses == [200, 200, 200, 200, 200, 201], "\(caseId)")
                #expect(try engine.store.head().position - before == UInt64(events), "one command's events, once")
            }
        }
    }

    @Test("If-Match: a stale ETag gets 412 with the ETag to retry with, and nothing is written; the current one runs")
    func ifMatch() async throws {
        let scratch = Scratch()
        let headers = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, engine in
            let report = try await client.send(.post, "/v1/commands/report-recovery", headers, json: recoveryBody())
            let etag = try #require(report.headers[.eTag])
            var stale = headers
            stale[.ifMatch] = #""case-C-2026A00017:1""#
            let refused = try await client.send(
                .post, "/v1/commands/create-hotline-referral", stale, json: referralBody())
            #expect(refused.status == .preconditionFailed)
            #expect(refused.headers[.eTag] == etag)
            #expect(refused.object["currentETags"] as? [String] == [etag])
            #expect(try engine.store.head().position == county + 3)

            var current = headers
            current[.ifMatch] = etag
            let accepted = try await client.send(
                .post, "/v1/commands/create-hotline-referral", current, json: referralBody())
            #expect(accepted.status == .created)
            #expect(accepted.headers[.eTag] == #""case-C-2026A00017:5""#)
        }
    }

    @Test(
        "bad input gets a 4xx problem naming the field, and the log is unchanged",
        arguments: [
            (#"{"caseId": "#, 400, "malformed-json", nil),
            ("[1, 2]", 422, "invalid-command", ""),
            (#"{"occurredAt":"2026-03-14T02:05:00Z","caseId":17}"#, 422, "invalid-command", "/caseId"),
            (String(recoveryBody().dropLast()) + #","colour":"red"}"#, 422, "invalid-command", "/colour"),
            (#"{"actor":"user:someone-else","caseId":"C-2026A00017"}"#, 422, "invalid-command", "/actor"),
            (#"{"command":"close-case"}"#, 422, "invalid-command", "/command"),
            ("", 400, "malformed-json", nil),
            // A time too late for the protocol's clocks, also when the body spells its digits as escapes.
            (lateRecovery("9999-12-30T01:58:00Z"), 422, "invalid-command", "/contactAt"),
            (lateRecovery(#"\u0039999-12-30T01:58:00Z"#), 422, "invalid-command", "/contactAt"),
        ] as [(String, Int, String, String?)])
    func badInput(body: String, status: Int, kind: String, pointer: String?) async throws {
        let scratch = Scratch()
        let headers = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, engine in
            let response = try await client.send(.post, "/v1/commands/report-recovery", headers, json: body)
            #expect(Int(response.status.code) == status)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.object["type"] as? String == "urn:vigil:problem:\(kind)")
            if let pointer { #expect(response.object["pointer"] as? String == pointer) }
            #expect(try engine.store.head().position == county)
        }
    }

    @Test(
        "invalid UTF-8, a huge body, an unknown command, a lifecycle out of order: 4xx, the log unchanged and verified")
    func hostileInput() async throws {
        let scratch = Scratch()
        let headers = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, engine in
            _ = try await client.send(.post, "/v1/commands/report-recovery", headers, json: recoveryBody())
            let head = try engine.store.head()
            var json = headers
            json[.contentType] = "application/json"
            let utf8 = try await client.execute(
                uri: "/v1/commands/report-recovery", method: .post, headers: json,
                body: ByteBuffer(bytes: Array(#"{"caseId":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
            #expect(utf8.status == .badRequest)
            let huge = try await client.execute(
                uri: "/v1/commands/report-recovery", method: .post, headers: json,
                body: ByteBuffer(repeating: UInt8(ascii: " "), count: 200_000))
            #expect(huge.status == .contentTooLarge)
            let unknown = try await client.send(.post, "/v1/commands/teleport", headers, json: "{}")
            #expect(unknown.status == .notFound)
            let timer = try await client.send(.post, "/v1/commands/handle-timer-fired", headers, json: "{}")
            #expect(timer.status == .notFound)
            let twice = try await client.send(.post, "/v1/commands/report-recovery", headers, json: recoveryBody())
            #expect(twice.status == .conflict)
            let arrival = try await client.send(
                .post, "/v1/commands/arrive", headers,
                json: #"{"caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV017"}"#)
            #expect((400..<500).contains(arrival.status.code))
            #expect(try engine.store.head() == head)
            #expect(try engine.store.verify().isValid)
        }
    }
}

extension HTTPFields {
    /// The same headers without an Idempotency-Key.
    fileprivate var removingIdempotencyKey: HTTPFields {
        var headers = self
        headers[.init("Idempotency-Key")!] = nil
        return headers
    }
}
