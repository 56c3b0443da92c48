import EventStore

/// A parsed JSON document, as the catalog's strict decoders read it.
///
/// Numbers keep the distinction JSON Schema needs: a number written without a fraction or
/// exponent that fits an `Int64` is ``integer(_:)``, anything else ``number(_:)`` (which JSON Schema
/// still counts as an integer when it has no fractional part, e.g. `12.0`). Objects keep their
/// members in document order; a key may appear only once (``JSONParser`` rejects duplicates).
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written as an integer that fits an `Int64`.
    case integer(Int64)
    /// Any other number (finite).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// Parses one JSON document from UTF-8 bytes.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(DomainValidationError) {
        var parser = JSONParser(bytes)
        self = try parser.parseDocument()
    }

    /// Parses one JSON document from UTF-8 bytes.
    public init(parsing bytes: [UInt8]) throws(DomainValidationError) {
        self = try bytes.withValidatedBytes { (raw) throws(DomainValidationError) -> JSONValue in
            try JSONValue(parsing: raw)
        }
    }

    /// Parses one JSON document from a string.
    public init(parsing text: String) throws(DomainValidationError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The JSON type's name as JSON Schema spells it, for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number(let d): d.rounded(.towardZero) == d ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The members when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The string when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as an exact integer, if it is one in JSON Schema's sense (`3` and `3.0` both are).
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d):
            guard d.rounded(.towardZero) == d, d >= -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18
            else { return nil }
            return Int64(d)
        default: return nil
        }
    }

    /// The value as a number, if it is one.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// Compact JSON for this value (object members in their order).
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}

/// A JSON object's members in document order.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The members, in document order, keys unique.
    public private(set) var members: [(key: String, value: JSONValue)]

    /// An object of `members` (keys must be unique).
    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    /// The number of members.
    public var count: Int { members.count }

    /// The value of `key`, if present.
    public subscript(key: String) -> JSONValue? {
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// Adds or replaces `key`.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].value = value
        } else {
            members.append((key, value))
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        // JSON object equality ignores member order.
        a.members.count == b.members.count && a.members.allSatisfy { b[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        var combined = 0
        for m in members {
            var h = Hasher()
            h.combine(m.key)
            h.combine(m.value)
            combined ^= h.finalize()
        }
        hasher.combine(combined)
    }
}
