import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("The audits over HTTP")
struct AuditRoutesTests {
    @Test("an auditor re-runs every decision and reads a case's checked timeline; others are refused")
    func audits() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let supervisor = try bearer(scratch, .supervisor)
        let auditor = try bearer(scratch, .auditor)
        try await withServer(scratch) { client, _ in
            try await rosterCommands(client, supervisor)
            _ = try await client.send(.post, "/v1/commands/report-recovery", dispatcher, json: recoveryBody())
            let requested = try await client.send(
                .post, "/v1/commands/request-response", dispatcher,
                json: #"{"caseId":"C-2026A00017","role":"advocate"}"#)
            let requestId = try #require(
                (requested.object["events"] as? [[String: Any]])?.compactMap {
                    ($0["data"] as? [String: Any])?["requestId"] as? String
                }.first)
            let assigned = try await client.send(
                .post, "/v1/commands/assign-by-policy", dispatcher,
                json: #"{"caseId":"C-2026A00017","requestId":"\#(requestId)"}"#)
            #expect(assigned.status == .created)

            let audit = try await client.send(.get, "/v1/audit/decisions", auditor)
            #expect(audit.status == .ok)
            #expect(audit.object["decisions"] as? Int == 1)
            #expect(audit.object["reproduced"] as? Int == 1)
            #expect((audit.object["mismatches"] as? [Any])?.isEmpty == true)
            let badPolicy = try await client.send(.get, "/v1/audit/decisions?policy=v99", auditor)
            #expect(badPolicy.status == .badRequest)
            #expect(try await client.send(.get, "/v1/audit/decisions", dispatcher).status == .forbidden)

            let timeline = try await client.send(.get, "/v1/audit/cases/C-2026A00017", auditor)
            #expect(timeline.status == .ok)
            #expect((timeline.object["events"] as? [[String: Any]])?.first?["type"] as? String == "RecoveryReported")
            #expect((timeline.object["chain"] as? [String: Any])?["verified"] as? Bool == true)
            #expect(try await client.send(.get, "/v1/audit/cases/C-2026A99999", auditor).status == .notFound)
            #expect(try await client.send(.get, "/v1/audit/cases/C-2026A00017", supervisor).status == .forbidden)
        }
    }
}
