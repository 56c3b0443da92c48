import DispatchServer
import EventStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("One case over HTTP: its file and the recommendation now")
struct CaseRoutesTests {
    @Test("the case file holds the record and every recorded decision, with the stream's ETag; reads are access-logged")
    func caseFile() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        let supervisor = try bearer(scratch, .supervisor)
        let analyst = try bearer(scratch, .analyst)
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

            // The recommendation now: computed, not recorded.
            let preview = try await client.send(
                .get, "/v1/cases/C-2026A00017/requests/\(requestId)/recommendation", dispatcher)
            #expect(preview.status == .ok)
            let candidates = try #require(preview.object["candidates"] as? [[String: Any]])
            #expect(candidates.first?["responderId"] as? String == "R-ADV001")
            #expect((candidates.first?["reasons"] as? [String])?.isEmpty == false)
            let before = try await eventuallyJSON(client, "/v1/cases/C-2026A00017", dispatcher) {
                (($0["case"] as? [String: Any])?["requests"] as? [Any])?.count == 1
            }
            #expect((before["decisions"] as? [Any])?.isEmpty == true)
            let responderPreview = try await client.send(
                .get, "/v1/cases/C-2026A00017/requests/\(requestId)/recommendation", try bearer(scratch, .responder))
            #expect(responderPreview.status == .forbidden)

            // Assigned by policy: the decision appears in the file, and the preview now refuses (409).
            let assigned = try await client.send(
                .post, "/v1/commands/assign-by-policy", dispatcher,
                json: #"{"caseId":"C-2026A00017","requestId":"\#(requestId)"}"#)
            #expect(assigned.status == .created)
            let file = try await eventuallyJSON(client, "/v1/cases/C-2026A00017", dispatcher) {
                (($0["case"] as? [String: Any])?["requests"] as? [[String: Any]])?.first?["phase"] as? String
                    == "dispatched"
            }
            let decisions = try #require(file["decisions"] as? [[String: Any]])
            #expect(decisions.count == 1)
            #expect(decisions.first?["type"] as? String == "RecommendationComputed")
            let response = try await client.send(.get, "/v1/cases/C-2026A00017", dispatcher)
            #expect(response.headers[.eTag]?.hasPrefix("\"case-C-2026A00017:") == true)
            let stale = try await client.send(
                .get, "/v1/cases/C-2026A00017/requests/\(requestId)/recommendation", dispatcher)
            #expect(stale.status == .conflict)

            #expect(try await client.send(.get, "/v1/cases/C-2026A00017", analyst).status == .forbidden)
            let unknown = try await client.send(.get, "/v1/cases/C-2026A99999", dispatcher)
            #expect(unknown.status == .notFound)
            #expect(unknown.object["type"] as? String == "urn:vigil:problem:unknown-case")

            let access = try await client.send(.get, "/v1/audit/access?case=C-2026A00017&limit=1000", auditor)
            let actions = (access.object["records"] as? [[String: Any]])?.compactMap {
                ($0["record"] as? [String: Any])?["action"] as? String
            }
            #expect(actions?.contains("caseFile") == true)
            #expect(actions?.contains("previewRecommendation") == true)
        }
    }
}
