import FirstResponder
import Foundation
import Testing

@Suite("Case event kinds and the catalog")
struct CaseEventKindCatalogTests {
    @Test("the kinds are exactly the schemas' event types that live in a case stream")
    func matchesSchemas() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../schemas/events")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".json") }
        try #require(!files.isEmpty)
        var caseTypes: Set<String> = []
        for file in files {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let streams: [String] =
                switch schema["x-vigil-stream"] {
                case let one as String: [one]
                case let many as [String]: many
                default: []
                }
            if streams.contains("case-{caseId}") {
                caseTypes.insert(String(file.prefix { $0 != "." }))
            }
        }
        #expect(caseTypes == Set(CaseEventKind.allCases.map(\.eventType)))
    }
}
