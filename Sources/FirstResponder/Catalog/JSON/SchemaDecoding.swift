import EventStore

/// The checks the generated `init(json:)` decoders are made of. Each throws with a pointer relative
/// to the value it was given; the generated code prefixes field names and indices on the way out.
enum SchemaDecoding {
    typealias Failure = DomainValidationError

    static func object(_ value: JSONValue) throws(Failure) -> JSONObject {
        guard case .object(let o) = value else { throw typeMismatch("an object", value) }
        return o
    }

    static func typeMismatch(_ expected: String, _ value: JSONValue) -> Failure {
        Failure(.type, "expected \(expected), got \(article(value.typeName))")
    }

    /// "a caseId", "an arrestId".
    static func withArticle(_ noun: String) -> String {
        guard let first = noun.first else { return noun }
        return ("aeiou".contains(first) ? "an " : "a ") + noun
    }

    private static func article(_ typeName: String) -> String {
        typeName == "integer" || typeName == "object" || typeName == "array" ? "an \(typeName)" : "a \(typeName)"
    }

    static func unknownField(_ key: String) -> Failure {
        Failure(.unknownField, "\(key) is not a field of this object")
    }

    static func required<T>(_ value: T?, _ key: String) throws(Failure) -> T {
        guard let value else { throw Failure(.required, at: "/" + JSONPointer.escape(key), "\(key) is required") }
        return value
    }

    /// `key` is missing although an `if`/`then` rule requires it.
    static func requiredWhen(_ key: String, _ condition: String) -> Failure {
        Failure(.required, at: "/" + JSONPointer.escape(key), "\(key) is required when \(condition)")
    }

    /// `key` is present although a rule forbids it.
    static func notAllowedWhen(_ key: String, _ condition: String) -> Failure {
        Failure(.notAllowed, at: "/" + JSONPointer.escape(key), "\(key) is not allowed when \(condition)")
    }

    // MARK: - Scalars

    static func string(
        _ value: JSONValue, minLength: Int = 0, maxLength: Int = .max, pattern: SchemaPattern? = nil,
        name: String? = nil
    ) throws(Failure) -> String {
        guard case .string(let s) = value else { throw typeMismatch("a string", value) }
        try check(string: s, minLength: minLength, maxLength: maxLength, pattern: pattern, name: name)
        return s
    }

    static func identifier<T: SchemaIdentifier>(_ value: JSONValue, _ type: T.Type) throws(Failure) -> T {
        guard case .string(let s) = value else { throw typeMismatch("a string", value) }
        try checkIdentifier(s, type)
        return T(uncheckedRawValue: s)
    }

    static let timestampPattern = SchemaPattern(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$")

    /// An RFC 3339 date-time as `defs#/$defs/timestamp` says: the pattern (upper-case `T`, explicit
    /// offset) and a real calendar date and time (format `date-time`, read as the reference validator
    /// reads it: no leap second `:60`, no year 0000).
    static func timestamp(_ value: JSONValue) throws(Failure) -> Timestamp {
        guard case .string(let s) = value else { throw typeMismatch("a string", value) }
        guard timestampPattern.matches(s), !isLeapSecondOrYearZero(s), let t = Timestamp(rfc3339: s) else {
            throw Failure(
                .pattern, "expected an RFC 3339 date-time with an offset, like 2026-03-14T02:13:00Z")
        }
        return t
    }

    /// Seconds `60` or year `0000` (the text already matched ``timestampPattern``).
    private static func isLeapSecondOrYearZero(_ s: String) -> Bool {
        let u = s.utf8
        let second = u.dropFirst(17).prefix(2)
        return second.elementsEqual("60".utf8) || u.prefix(4).elementsEqual("0000".utf8)
    }

    static func integer(_ value: JSONValue, minimum: Int64? = nil, maximum: Int64? = nil) throws(Failure) -> Int {
        guard let i = value.integerValue else { throw typeMismatch("an integer", value) }
        try check(integer: i, minimum: minimum, maximum: maximum)
        return Int(i)
    }

    static func rangeFailure(_ minimum: Int64?, _ maximum: Int64?) -> Failure {
        switch (minimum, maximum) {
        case (let lo?, let hi?): Failure(.range, "expected an integer from \(lo) to \(hi)")
        case (let lo?, nil): Failure(.range, "expected an integer of at least \(lo)")
        case (nil, let hi?): Failure(.range, "expected an integer of at most \(hi)")
        case (nil, nil): Failure(.range, "out of range")
        }
    }

    static func number(_ value: JSONValue, minimum: Double? = nil, maximum: Double? = nil) throws(Failure) -> Double {
        guard let d = value.doubleValue else { throw typeMismatch("a number", value) }
        try check(number: d, minimum: minimum, maximum: maximum)
        return d
    }

    static func bool(_ value: JSONValue) throws(Failure) -> Bool {
        guard case .bool(let b) = value else { throw typeMismatch("a boolean", value) }
        return b
    }

    static func enumeration<T: CatalogEnum>(_ value: JSONValue, _ type: T.Type) throws(Failure) -> T {
        guard case .string(let s) = value else { throw typeMismatch("a string", value) }
        guard let e = T(rawValue: s) else {
            throw Failure(.enumValue, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }

    /// `null`, or the value decoded by `element` (`oneOf [X, {"type": "null"}]`).
    static func nullable<T>(
        _ value: JSONValue, _ element: (JSONValue) throws(Failure) -> T
    ) throws(Failure) -> Nullable<T> {
        if case .null = value { return .null }
        return .value(try element(value))
    }

    // MARK: - Collections

    static func array<T>(
        _ value: JSONValue, minItems: Int = 0, maxItems: Int = .max, _ element: (JSONValue) throws(Failure) -> T
    ) throws(Failure) -> [T] {
        guard case .array(let items) = value else { throw typeMismatch("an array", value) }
        try check(count: items.count, minItems: minItems, maxItems: maxItems)
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            do throws(Failure) {
                out.append(try element(item))
            } catch {
                throw error.under(i)
            }
        }
        return out
    }

    /// `uniqueItems: true`: the array holds no two equal items (reported at the array).
    static func unique<T: Hashable>(_ items: [T]) throws(Failure) -> [T] {
        try check(unique: items)
        return items
    }

    /// An object used as a map (`additionalProperties` with a schema): keys checked against
    /// `keyPattern`, values decoded by `element`, `required` keys present.
    static func map<T>(
        _ value: JSONValue, required: [String], keyPattern: SchemaPattern?, minProperties: Int = 0,
        maxProperties: Int = .max, _ element: (JSONValue) throws(Failure) -> T
    ) throws(Failure) -> [String: T] {
        let o = try object(value)
        var out: [String: T] = [:]
        for (key, v) in o {
            try check(key: key, keyPattern)
            do throws(Failure) {
                out[key] = try element(v)
            } catch {
                throw error.under(key)
            }
        }
        try check(requiredKeys: required, of: out)
        try properties(o.count, minProperties: minProperties, maxProperties: maxProperties)
        return out
    }

    /// `minProperties` / `maxProperties`.
    static func properties(_ count: Int, minProperties: Int, maxProperties: Int) throws(Failure) {
        if count < minProperties {
            throw Failure(.count, "expected at least \(minProperties) field\(minProperties == 1 ? "" : "s")")
        }
        if count > maxProperties { throw Failure(.count, "expected at most \(maxProperties) fields") }
    }
}
