import DispatchServer
import Foundation
import HummingbirdTesting
import Testing

@Suite("Health and readiness")
struct HealthTests {
    @Test("/healthz answers ok with a request id; /readyz is ready once the timer loop has caught up")
    func healthAndReady() async throws {
        try await withServer { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.text == "ok\n")
            #expect(health.headers[.init("X-Request-Id")!]?.isEmpty == false)
            let ready = try await eventually {
                try await client.execute(uri: "/readyz", method: .get).status == .ok
            }
            #expect(ready)
        }
    }

    @Test("an unknown path is a 404 problem document naming the request")
    func unknownPath() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/no/such/thing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = response.object
            #expect(problem["type"] as? String == "urn:vigil:problem:not-found")
            #expect(problem["status"] as? Int == 404)
            #expect(problem["requestId"] as? String == response.headers[.init("X-Request-Id")!])
        }
    }
}
