import EventStore
import Foundation
import FuzzChecks
import Testing

/// Every input the fuzzers start from (Fuzz/corpus, made by Fuzz/make-seeds) and every input that
/// ever crashed one (Fuzz/regressions/<target>/), replayed through the same checks as the fuzzers.
@Suite("Fuzz corpus and regressions")
struct CorpusTests {
    static let fuzz = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ folder: String, _ target: String) -> [URL] {
        let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test("every seed and regression input is handled cleanly", arguments: FuzzChecks.targets.keys.sorted())
    func replay(target: String) throws {
        let seeds = Self.inputs("corpus", target)
        #expect(seeds.count >= 10, "Fuzz/corpus/\(target) has \(seeds.count) seeds: run Fuzz/make-seeds")
        let check = try #require(FuzzChecks.targets[target])
        for url in seeds + Self.inputs("regressions", target) {
            let bytes = try Data(contentsOf: url)
            let problem = bytes.withUnsafeBytes { check($0) }
            #expect(problem == nil, "\(url.lastPathComponent): \(problem ?? "")")
        }
    }

    @Test("every record seed is a well-formed record")
    func seedsDecode() throws {
        // A record seed that the decoder refused would fuzz nothing past the first check.
        for url in Self.inputs("corpus", "record") {
            let bytes = try Data(contentsOf: url)
            let problem = bytes.withUnsafeBytes { EventView.validate($0) }
            #expect(problem == nil, "\(url.lastPathComponent): \(problem ?? "")")
        }
    }
}
