import EventStore
import Foundation

/// Reads the fields of one JSON command object, strictly: each field's type, pattern and bounds as
/// the catalog's schemas define them, and no field the command does not have. Errors are
/// ``DomainValidationError``s whose pointer names the field (`/overrideReason`, `/services/2`).
struct CommandFields {
    private let object: JSONObject
    private var read: Set<String> = ["command", "occurredAt", "actor", "commandId", "correlationId"]
    /// The envelope: `occurredAt`, `actor` and the optional `commandId` and `correlationId`.
    let envelope: CommandEnvelope

    typealias Failure = DomainValidationError

    init(_ object: JSONObject) throws(DomainValidationError) {
        self.object = object
        let occurredAt = try Self.field(object, "occurredAt", SchemaDecoding.timestamp)
        let actor = try Self.field(object, "actor") { (v) throws(Failure) in
            try SchemaDecoding.string(v, pattern: SchemaPatterns.personRef, name: "personRef")
        }
        let commandId = try Self.optionalField(object, "commandId", ImportLineEnvelope.uuid)
        let correlationId = try Self.optionalField(object, "correlationId", ImportLineEnvelope.uuid)
        envelope = CommandEnvelope(
            occurredAt: occurredAt, actor: actor, commandId: commandId, correlationId: correlationId)
    }

    private static func field<T>(
        _ object: JSONObject, _ key: String, _ decode: (JSONValue) throws(Failure) -> T
    ) throws(Failure) -> T {
        guard let value = object[key] else {
            throw Failure(.required, at: "/" + JSONPointer.escape(key), "\(key) is required")
        }
        do throws(Failure) {
            return try decode(value)
        } catch {
            throw error.under(key)
        }
    }

    private static func optionalField<T>(
        _ object: JSONObject, _ key: String, _ decode: (JSONValue) throws(Failure) -> T
    ) throws(Failure) -> T? {
        guard object[key] != nil else { return nil }
        return try field(object, key, decode)
    }

    /// The required field `key`, decoded by `decode`.
    mutating func required<T>(_ key: String, _ decode: (JSONValue) throws(Failure) -> T) throws(Failure) -> T {
        read.insert(key)
        return try Self.field(object, key, decode)
    }

    /// The optional field `key` (absent or `null`: `nil`).
    mutating func optional<T>(_ key: String, _ decode: (JSONValue) throws(Failure) -> T) throws(Failure) -> T? {
        read.insert(key)
        if case .null = object[key] { return nil }
        return try Self.optionalField(object, key, decode)
    }

    /// Fails at the first field the command does not have.
    func finish(_ command: String) throws(Failure) {
        for (key, _) in object where !read.contains(key) {
            throw Failure(.unknownField, at: "/" + JSONPointer.escape(key), "\(key) is not a field of \(command)")
        }
    }

    // MARK: - Typed fields

    mutating func id<T: SchemaIdentifier>(_ key: String, _ type: T.Type) throws(Failure) -> T {
        try required(key) { (v) throws(Failure) in try SchemaDecoding.identifier(v, T.self) }
    }

    mutating func optionalId<T: SchemaIdentifier>(_ key: String, _ type: T.Type) throws(Failure) -> T? {
        try optional(key) { (v) throws(Failure) in try SchemaDecoding.identifier(v, T.self) }
    }

    mutating func ids<T: SchemaIdentifier>(_ key: String, _ type: T.Type, minItems: Int = 0) throws(Failure) -> [T] {
        try required(key) { (v) throws(Failure) in
            try SchemaDecoding.array(v, minItems: minItems) { (item) throws(Failure) in
                try SchemaDecoding.identifier(item, T.self)
            }
        }
    }

    mutating func timestamp(_ key: String) throws(Failure) -> Timestamp {
        try required(key, SchemaDecoding.timestamp)
    }

    mutating func optionalTimestamp(_ key: String) throws(Failure) -> Timestamp? {
        try optional(key, SchemaDecoding.timestamp)
    }

    mutating func value<T: CatalogEnum>(_ key: String, _ type: T.Type) throws(Failure) -> T {
        try required(key) { (v) throws(Failure) in try SchemaDecoding.enumeration(v, T.self) }
    }

    mutating func optionalValue<T: CatalogEnum>(_ key: String, _ type: T.Type) throws(Failure) -> T? {
        try optional(key) { (v) throws(Failure) in try SchemaDecoding.enumeration(v, T.self) }
    }

    mutating func values<T: CatalogEnum>(_ key: String, _ type: T.Type) throws(Failure) -> [T] {
        try required(key) { (v) throws(Failure) in
            try SchemaDecoding.array(v, minItems: 1) { (item) throws(Failure) in
                try SchemaDecoding.enumeration(item, T.self)
            }
        }
    }

    mutating func string(_ key: String) throws(Failure) -> String {
        try required(key) { (v) throws(Failure) in try SchemaDecoding.string(v, minLength: 1) }
    }

    mutating func optionalString(_ key: String) throws(Failure) -> String? {
        try optional(key) { (v) throws(Failure) in try SchemaDecoding.string(v, minLength: 1) }
    }

    mutating func strings(_ key: String) throws(Failure) -> [String] {
        try required(key) { (v) throws(Failure) in
            try SchemaDecoding.array(v) { (item) throws(Failure) in try SchemaDecoding.string(item, minLength: 1) }
        }
    }

    mutating func optionalStrings(_ key: String) throws(Failure) -> [String]? {
        try optional(key) { (v) throws(Failure) in
            try SchemaDecoding.array(v) { (item) throws(Failure) in try SchemaDecoding.string(item, minLength: 1) }
        }
    }

    /// A free-text reason: 1–500 characters, not blank.
    mutating func reason(_ key: String) throws(Failure) -> String {
        try required(key, Self.reasonValue)
    }

    mutating func optionalReason(_ key: String) throws(Failure) -> String? {
        try optional(key, Self.reasonValue)
    }

    private static func reasonValue(_ v: JSONValue) throws(Failure) -> String {
        try SchemaDecoding.string(v, minLength: 1, maxLength: 500, pattern: SchemaPatterns.reason, name: "reason")
    }

    mutating func integer(_ key: String, minimum: Int64? = nil, maximum: Int64? = nil) throws(Failure) -> Int {
        try required(key) { (v) throws(Failure) in try SchemaDecoding.integer(v, minimum: minimum, maximum: maximum) }
    }

    mutating func optionalInteger(_ key: String, minimum: Int64? = nil, maximum: Int64? = nil) throws(Failure) -> Int? {
        try optional(key) { (v) throws(Failure) in try SchemaDecoding.integer(v, minimum: minimum, maximum: maximum) }
    }

    mutating func bool(_ key: String) throws(Failure) -> Bool {
        try required(key, SchemaDecoding.bool)
    }

    mutating func optionalBool(_ key: String) throws(Failure) -> Bool? {
        try optional(key, SchemaDecoding.bool)
    }

    /// A nested catalog object (e.g. `ArrestCorrected.Corrections`), decoded by its schema.
    mutating func object<T: CatalogObject>(_ key: String, _ type: T.Type) throws(Failure) -> T {
        try required(key) { (v) throws(Failure) in try T(json: v) }
    }

    mutating func optionalObject<T: CatalogObject>(_ key: String, _ type: T.Type) throws(Failure) -> T? {
        try optional(key) { (v) throws(Failure) in try T(json: v) }
    }
}
