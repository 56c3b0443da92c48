import Foundation
import Testing

/// A temporary directory of one test (tests run in parallel: each has its own), holding the store
/// in `data/` and whatever files the test writes. Remove it with ``remove()`` (in a `defer`).
struct Scratch: Sendable {
    let url: URL

    init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-cli-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// The store's directory (created by the first `vigil import`).
    var data: String { url.appendingPathComponent("data").path }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `lines` as NDJSON (one per line, each ended by a newline) and returns the path.
    @discardableResult
    func write(_ name: String, lines: [String]) throws -> String {
        let text = lines.map { $0 + "\n" }.joined()
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    /// Runs `vigil` with `--data` pointing at this store and the scratch directory as its working
    /// directory.
    func vigil(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> VigilResult {
        try await VigilProcess.run(
            withData(arguments), stdin: stdin, in: url, environment: environment, timeout: timeout)
    }

    /// Loads the shipped Los Angeles County list (`vigil setup county los-angeles`): the areas,
    /// agencies and stations the facts of a test name must be registered first.
    func setupCounty() async throws {
        let result = try await vigil(["setup", "county", "los-angeles"])
        #expect(result.succeeded, "\(result)")
    }

    /// Starts `vigil` in the background (see ``vigil(_:stdin:timeout:)``).
    func start(_ arguments: [String], stdin: Data? = nil) throws -> VigilProcess {
        try VigilProcess(withData(arguments), stdin: stdin, in: url)
    }

    /// `arguments` with `--data <this store>` after the subcommand(s).
    private func withData(_ arguments: [String]) -> [String] {
        // No store needed for the catalogs.
        if arguments.first == "schemas" || arguments.contains("--list") || arguments.starts(with: ["command", "show"])
            || arguments.starts(with: ["checkpoint", "new-key"])
        {
            return arguments
        }
        var args = arguments
        let subcommandWords =
            ["log", "vault", "views", "replay", "audit", "bench", "setup", "checkpoint"].contains(arguments.first ?? "")
                || arguments.starts(with: ["report", "verify"]) ? 2 : 1
        args.insert(contentsOf: ["--data", data], at: min(subcommandWords, args.count))
        return args
    }

    // MARK: - Looking at the store through the CLI

    /// `vigil log stat --json`, parsed.
    func stat(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let result = try await vigil(["log", "stat", "--json"])
        try #require(result.succeeded, "\(result)", sourceLocation: sourceLocation)
        return try JSON.object(result.stdoutText)
    }

    /// The number of events in the store, from `vigil log stat --json`.
    func eventCount(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let stat = try await stat(sourceLocation: sourceLocation)
        return try #require(stat["events"] as? Int, sourceLocation: sourceLocation)
    }

    /// `vigil export -` (plus `extra` arguments): the raw lines.
    func exportLines(
        _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        let result = try await vigil(["export"] + extra + ["-"])
        try #require(result.succeeded, "\(result)", sourceLocation: sourceLocation)
        let text = result.stdoutText
        #expect(
            text.isEmpty || text.hasSuffix("\n"), "export output must end with a newline",
            sourceLocation: sourceLocation)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// `vigil export -`, each line parsed.
    func export(
        _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [[String: Any]] {
        try await exportLines(extra, sourceLocation: sourceLocation).map { try JSON.object($0) }
    }
}

/// JSON helpers over `JSONSerialization` (the values are `[String: Any]`, `[Any]`, `String`,
/// `NSNumber`, `NSNull`).
enum JSON {
    struct NotAnObject: Error, CustomStringConvertible {
        let text: String
        var description: String { "not a JSON object: \(text.prefix(300))" }
    }

    static func object(_ text: some StringProtocol) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        guard let object = value as? [String: Any] else { throw NotAnObject(text: String(text)) }
        return object
    }

    /// Compact JSON with sorted keys: two values are equal exactly when these strings are.
    static func canonical(_ value: Any?) -> String {
        guard let value else { return "<absent>" }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "<not JSON: \(value)>" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A string as a JSON string literal.
    static func quote(_ s: String) -> String { canonical(s) }
}

/// SplitMix64: a small, fast, seedable generator, so a failing run can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random (version 4) UUID drawn from this generator.
    mutating func uuid4() -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { bytes[i] = UInt8(truncatingIfNeeded: next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

/// One NDJSON import line, built as text.
struct ImportLine {
    var stream: String
    var type = "UnitStatusChanged"
    var id: UUID?
    var expectedVersion: String?
    var occurredAt = "2026-03-14T02:13:00Z"
    var actor = "user:dispatcher-7"
    var data = #"{"status":"available"}"#

    var text: String {
        var s = #"{"stream":\#(JSON.quote(stream)),"type":\#(JSON.quote(type))"#
        if let id { s += #","id":"\#(id.uuidString.lowercased())""# }
        if let expectedVersion { s += #","expectedVersion":\#(expectedVersion)"# }
        s += #","occurredAt":\#(JSON.quote(occurredAt)),"actor":\#(JSON.quote(actor)),"data":\#(data)}"#
        return s
    }
}
