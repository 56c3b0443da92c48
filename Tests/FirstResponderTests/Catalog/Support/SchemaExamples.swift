import Foundation

/// The contract's examples in the repository's `schemas/examples/`, found from this file's path.
enum SchemaExamples {
    /// The repository root (this file is Tests/FirstResponderTests/Catalog/Support/SchemaExamples.swift).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url
    }()

    static let schemas = root.appendingPathComponent("schemas")
    static let validDirectory = schemas.appendingPathComponent("examples/valid")
    static let invalidDirectory = schemas.appendingPathComponent("examples/invalid")

    /// The file names of the valid examples, sorted.
    static let valid: [String] = jsonFiles(in: validDirectory)

    /// The file names of the invalid examples (without EXPECTATIONS.json), sorted.
    static let invalid: [String] = jsonFiles(in: invalidDirectory).filter { $0 != "EXPECTATIONS.json" }

    /// Invalid example file name → the JSON pointer it must fail at.
    static let expectations: [String: String] = {
        let url = invalidDirectory.appendingPathComponent("EXPECTATIONS.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }()

    static let commandsValidDirectory = schemas.appendingPathComponent("examples/commands/valid")
    static let commandsInvalidDirectory = schemas.appendingPathComponent("examples/commands/invalid")

    /// The file names of the commands' valid examples, sorted.
    static let validCommands: [String] = jsonFiles(in: commandsValidDirectory)

    /// The file names of the commands' invalid examples, sorted.
    static let invalidCommands: [String] = jsonFiles(in: commandsInvalidDirectory).filter { $0 != "EXPECTATIONS.json" }

    /// Invalid command example file name → the JSON pointer it must fail at.
    static let commandExpectations: [String: String] = {
        let url = commandsInvalidDirectory.appendingPathComponent("EXPECTATIONS.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }()

    /// The bytes of a command example, valid or not.
    static func bytes(command name: String, valid: Bool) throws -> [UInt8] {
        let directory = valid ? commandsValidDirectory : commandsInvalidDirectory
        return Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The bytes of an example.
    static func bytes(valid name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: validDirectory.appendingPathComponent(name)))
    }

    /// The bytes of an invalid example.
    static func bytes(invalid name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: invalidDirectory.appendingPathComponent(name)))
    }

    /// `(type, version)` from a file name `<Type>.v<N>.<name>.json`.
    static func typeAndVersion(_ name: String) -> (String, UInt16) {
        let parts = name.split(separator: ".")
        return (String(parts[0]), UInt16(parts[1].dropFirst())!)
    }

    private static func jsonFiles(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }
}
