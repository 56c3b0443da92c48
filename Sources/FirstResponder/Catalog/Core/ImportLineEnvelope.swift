import EventStore
import Foundation

/// The envelope fields of an import line, checked against `schemas/import-line.schema.json`
/// (hand-written: one schema, with constructs the event schemas do not use).
struct ImportLineEnvelope {
    var stream: String
    var type: String
    var id: UUID?
    var expectedVersion: ExpectedVersion?
    var schemaVersion: UInt16?
    var occurredAt: Timestamp
    var actor: String
    var correlationId: UUID?
    var causationId: UUID?
    var metadata: JSONObject?
    var data: JSONValue

    static let streamPattern = SchemaPattern("^[\\x21-\\x7e]+$")
    static let personRefPattern = SchemaPattern("^(user|system|service):[a-z0-9][a-z0-9._-]{0,99}$")
    static let metadataKeyPattern = SchemaPattern("^[a-z][A-Za-z0-9]{0,39}$")
    static let maxPosition: Int64 = 9_007_199_254_740_991

    init(json: JSONValue) throws(DomainValidationError) {
        let object = try SchemaDecoding.object(json)
        var stream: String?
        var type: String?
        var occurredAt: Timestamp?
        var actor: String?
        var data: JSONValue?
        for (key, value) in object {
            do throws(DomainValidationError) {
                switch key {
                case "stream":
                    stream = try SchemaDecoding.string(
                        value, minLength: 1, maxLength: 200, pattern: Self.streamPattern, name: "stream name")
                case "type":
                    let name = try SchemaDecoding.string(value)
                    guard EventCatalog.entry(for: name) != nil else {
                        throw DomainValidationError(
                            .unknownType,
                            "unknown event type; expected one of the \(EventCatalog.entries.count) "
                                + "catalog types (docs/EVENTS.md)")
                    }
                    type = name
                case "id": id = try Self.uuid(value)
                case "expectedVersion": expectedVersion = try Self.expectedVersion(value)
                case "schemaVersion":
                    schemaVersion = UInt16(try SchemaDecoding.integer(value, minimum: 1, maximum: 65535))
                case "occurredAt": occurredAt = try SchemaDecoding.timestamp(value)
                case "actor":
                    actor = try SchemaDecoding.string(value, pattern: Self.personRefPattern, name: "personRef")
                case "correlationId": correlationId = try Self.uuid(value)
                case "causationId": causationId = try Self.uuid(value)
                case "metadata": metadata = try Self.metadata(value)
                case "data":
                    _ = try SchemaDecoding.object(value)
                    data = value
                default:
                    throw DomainValidationError(
                        .unknownField,
                        "\(key) is not a field of an import line (the log assigns recordedAt, "
                            + "position and version)")
                }
            } catch {
                throw error.under(key)
            }
        }
        self.stream = try SchemaDecoding.required(stream, "stream")
        self.type = try SchemaDecoding.required(type, "type")
        self.occurredAt = try SchemaDecoding.required(occurredAt, "occurredAt")
        self.actor = try SchemaDecoding.required(actor, "actor")
        self.data = try SchemaDecoding.required(data, "data")
    }

    static func uuid(_ value: JSONValue) throws(DomainValidationError) -> UUID {
        let text = try SchemaDecoding.string(value)
        // `UUID(text:)` accepts exactly the schema's pattern,
        // ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$.
        guard let id = UUID(text: text) else {
            throw DomainValidationError(.pattern, "expected a UUID like 0195d3a1-7c2e-7a10-8b3f-2c4d5e6f7a81")
        }
        return id
    }

    static func expectedVersion(_ value: JSONValue) throws(DomainValidationError) -> ExpectedVersion {
        switch value {
        case .string("any"): return .any
        case .string("noStream"): return .noStream
        case .string("exists"): return .streamExists
        default:
            if let n = value.integerValue, n >= 0, n <= maxPosition { return .exactly(UInt64(n)) }
            throw DomainValidationError(
                value.integerValue == nil ? .type : .range,
                "expected an integer from 0 to 2^53-1, \"any\", \"noStream\" or \"exists\"")
        }
    }

    static func metadata(_ value: JSONValue) throws(DomainValidationError) -> JSONObject {
        let object = try SchemaDecoding.object(value)
        guard object.count <= 32 else { throw DomainValidationError(.count, "expected at most 32 metadata fields") }
        for (key, v) in object {
            guard metadataKeyPattern.matches(key) else {
                throw DomainValidationError(
                    .pattern, at: "/" + JSONPointer.escape(key),
                    "expected a camelCase key matching \(metadataKeyPattern.source)")
            }
            switch v {
            case .string(let s) where s.unicodeScalars.count > 500:
                throw DomainValidationError(
                    .length, at: "/" + JSONPointer.escape(key), "expected at most 500 characters")
            case .string, .integer, .number, .bool, .null: continue
            case .array, .object:
                throw DomainValidationError(
                    .type, at: "/" + JSONPointer.escape(key), "expected a string, number, boolean or null")
            }
        }
        return object
    }
}
