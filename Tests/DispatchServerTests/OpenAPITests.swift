import DispatchServer
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The repository's root (the tests run from somewhere under `.build/`).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test(
        "schemas/openapi.yaml is what vigil openapi generates from the routes and schemas/ (regenerate: vigil openapi > schemas/openapi.yaml)"
    )
    func committedIsGenerated() throws {
        let sources = try OpenAPIDocument.Sources.read(schemas: repositoryRoot.appendingPathComponent("schemas").path)
        let generated = try OpenAPIDocument.yaml(sources)
        let committed = try String(
            contentsOf: repositoryRoot.appendingPathComponent("schemas/openapi.yaml"), encoding: .utf8)
        #expect(committed == generated)
    }

    @Test("one operation per command, and every endpoint the document lists is routed")
    func everyEndpointRouted() async throws {
        let document = try OpenAPIDocument.document(OpenAPIDocument.Sources(defs: nil, commands: [:]))
        let paths = try #require(document.objectValue?["paths"]?.objectValue)
        for name in CommandJSON.names where name != "handle-timer-fired" {
            #expect(paths["/v1/commands/\(name)"]?.objectValue?["post"] != nil, "\(name) has no operation")
        }
        try await withServer { client, _ in
            for endpoint in DispatchServer.endpoints {
                let path = endpoint.path.replacingOccurrences(of: "{command}", with: "report-recovery")
                let response = try await client.execute(uri: path, method: endpoint.method)
                #expect(response.object["type"] as? String != "urn:vigil:problem:not-found", "\(path) is not routed")
            }
        }
    }
}
