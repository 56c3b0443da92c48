import Foundation

/// The repository the tests run from: its contract files, so counts the CLI prints are checked
/// against the schemas rather than written into the tests.
enum Repository {
    /// The repository's root directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The file names in `schemas/<folder>` ending in `.schema.json`.
    static func schemaFiles(_ folder: String) -> [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("schemas/\(folder)").path))
            ?? []
        return names.filter { $0.hasSuffix(".schema.json") }
    }

    /// How many event types the catalog has (one schema file per version: `<Type>.v<N>.schema.json`).
    static var eventTypes: Int { Set(schemaFiles("events").map { $0.prefix { $0 != "." } }).count }

    /// How many commands the contract has (`schemas/commands/<name>.schema.json`).
    static var commands: Int { schemaFiles("commands").count }
}
