import EventStore
import FirstResponder
// What each libFuzzer target checks of one input, in one place: the fuzzers (Fuzz/<Target>, built
// by scripts/fuzz) call these, and Tests/FuzzChecksTests replays the committed corpus and every
// crash ever found (Fuzz/corpus, Fuzz/regressions) through them in the default test run.
//
// Each returns nil when the input was handled cleanly — decoded, or refused with an error that names
// what is wrong — or what broke. A crash, a hang or unbounded memory are what libFuzzer catches.
public import Foundation

/// The fuzzed input checks.
public enum FuzzChecks {
    /// The targets, by the name of their folder in Fuzz/corpus.
    public static let targets: [String: @Sendable (UnsafeRawBufferPointer) -> String?] = [
        "record": record, "payload": payload, "import-line": importLine, "command": command, "http-body": httpBody,
    ]

    /// The record decoder: the hot path's check (`isWellFormed`) and the one that names the damage
    /// (`validate`) must agree, and a record they accept must decode, copy out and export.
    @Sendable public static func record(_ bytes: UnsafeRawBufferPointer) -> String? {
        let problem = EventView.validate(bytes)
        guard (problem == nil) == EventView.isWellFormed(bytes) else {
            return "validate and isWellFormed disagree: \(problem ?? "validate accepts")"
        }
        guard problem == nil else { return nil }
        let view = EventView(position: 1, bytes: bytes)
        _ = (view.stream, view.type, view.actor, view.id, view.correlationId, view.causationId)
        _ = (view.occurredAt, view.recordedAt, view.schemaVersion, view.payloadEncoding, view.metadataBytes.count)
        let line = EventLine.export(view.materialize())
        _ = try? EventLine.parse(line)
        return nil
    }

    /// The binary payload codec. Input: "Type N\n" then payload bytes. Whatever decodes (as binary or
    /// as JSON) must encode to a binary form that decodes to the same event.
    @Sendable public static func payload(_ input: UnsafeRawBufferPointer) -> String? {
        guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: input[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 2, let version = UInt16(header[1]) else { return nil }
        let type = String(header[0])
        let payload = UnsafeRawBufferPointer(rebasing: input[(newline + 1)...])
        for encoding in [PayloadEncoding.binary, .json] {
            guard
                let event = try? EventCatalog.decodeAsStored(
                    type: type, schemaVersion: version, payload: payload, encoding: encoding)
            else { continue }
            let again = event.binaryBytes()
            do {
                let decoded = try again.withUnsafeBytes { raw in
                    try EventCatalog.decodeAsStored(type: type, schemaVersion: version, payload: raw, encoding: .binary)
                }
                guard decoded.isEqual(to: event) else {
                    return "\(type) v\(version) (\(encoding)): the binary round trip changed the event"
                }
            } catch {
                return "\(type) v\(version) (\(encoding)): its own binary form does not decode: \(error)"
            }
            _ = try? EventCatalog.upcast(event)
        }
        return nil
    }

    /// The NDJSON import line parsers: the store's (`import --raw`) and the domain's (`import`).
    @Sendable public static func importLine(_ bytes: UnsafeRawBufferPointer) -> String? {
        let line = Array(bytes)
        _ = try? EventLine.parse(line)
        if let imported = try? EventCatalog.validateImportLine(line) {
            _ = imported.newEvent().payload.count
        }
        return nil
    }

    /// The command decoder: a command that decodes must encode to JSON that decodes again and
    /// encodes to the same bytes.
    @Sendable public static func command(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let command = try? CommandJSON.decode(Array(bytes)), let encoded = CommandJSON.encode(command) else {
            return nil
        }
        do {
            guard CommandJSON.encode(try CommandJSON.decode(encoded)) == encoded else {
                return "a command's JSON changes on a second round trip: \(String(decoding: encoded, as: UTF8.self))"
            }
        } catch {
            return "a decoded command's own JSON is refused: \(error): \(String(decoding: encoded, as: UTF8.self))"
        }
        return nil
    }

    /// The HTTP request body path (`POST /v1/commands/{name}`, ``CommandRequest``). Input: "name\n",
    /// or "name key\n" with an Idempotency-Key, then the body. A body is refused (by type, only with a
    /// ``DomainValidationError``: a 4xx, never a 500) or completed into a command that is the
    /// caller's and the path's, carries the key as its commandId, and whose JSON decodes again to
    /// the same bytes.
    @Sendable public static func httpBody(_ input: UnsafeRawBufferPointer) -> String? {
        guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let head = String(decoding: input[..<newline], as: UTF8.self).split(separator: " ")
        guard let name = head.first.map(String.init), head.count <= 2 else { return nil }
        let key = head.count == 2 ? UUID(uuidString: String(head[1])) : nil
        let body = Array(UnsafeRawBufferPointer(rebasing: input[(newline + 1)...]))
        let actor = "user:fuzz-dispatcher"
        let now = Timestamp(seconds: 1_780_000_000)
        guard
            let command = try? CommandRequest.command(body: body, name: name, actor: actor, commandId: key, now: now)
        else { return nil }
        guard let encoded = CommandJSON.encode(command), let json = (try? JSONValue(parsing: encoded))?.objectValue
        else { return "\(name): a completed command does not encode to a JSON object" }
        if json["command"] != .string(name) { return "\(name): the command is not the one the path names" }
        if json["actor"] != .string(actor) { return "\(name): the command's actor is not the caller" }
        if let key, json["commandId"] != .string(key.uuidString.lowercased()) {
            return "\(name): the command's id is not the Idempotency-Key"
        }
        if let problem = encoded.withUnsafeBytes({ Self.command($0) }) {
            return "\(name): \(problem)"
        }
        return nil
    }

    /// Runs `target`'s check on one input and stops the process when it finds a problem (for the
    /// fuzzers: libFuzzer keeps the input as a crash).
    public static func fuzz(_ target: String, _ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        if let problem = targets[target]!(UnsafeRawBufferPointer(start: data, count: size)) {
            fatalError("fuzz-\(target): \(problem)")
        }
        return 0
    }
}
