import ChildProcess
import Foundation
import Testing

@Suite("Catalog: generated code")
struct GeneratorFreshnessTests {
    @Test(
        "scripts/generate-catalog, generate-commands and generate-row-codecs --check: the generated files are fresh",
        arguments: ["generate-catalog", "generate-commands", "generate-row-codecs"])
    func upToDate(_ generator: String) throws {
        let script = SchemaExamples.root.appendingPathComponent("scripts/\(generator)")
        let (ending, output) = try SpawnedChild.run(
            executable: "/usr/bin/env", arguments: ["python3", script.path, "--check"])
        #expect(ending.succeeded, "\(ending): \(String(decoding: output, as: UTF8.self))")
    }
}
