import EventStore

/// The schema's rules on values, one place for each: the JSON decoders check a value read from JSON
/// with them, and the generated `validateSchema()` checks a value built in Swift with them — field
/// by field in the order the JSON form writes them, so a value gets the refusal (code, message and
/// pointer) its JSON form would get from the decoder, without writing and reading that form.
extension SchemaDecoding {
    /// `minLength` / `maxLength` (in Unicode scalars) and `pattern` of a string.
    static func check(
        string s: String, minLength: Int = 0, maxLength: Int = .max, pattern: SchemaPattern? = nil,
        name: String? = nil
    ) throws(Failure) {
        if minLength > 0 || maxLength < .max {
            let n = s.unicodeScalars.count
            if n < minLength || n > maxLength {
                let bounds =
                    maxLength == .max
                    ? "at least \(minLength)" : minLength == 0 ? "at most \(maxLength)" : "\(minLength) to \(maxLength)"
                throw Failure(.length, "expected \(bounds) characters, got \(n)")
            }
        }
        if let pattern, !pattern.matches(s) {
            throw Failure(.pattern, "expected \(name.map { withArticle($0) } ?? "a string") matching \(pattern.source)")
        }
    }

    /// The pattern of an identifier type.
    static func checkIdentifier<T: SchemaIdentifier>(_ s: String, _ type: T.Type) throws(Failure) {
        guard T.pattern.matches(s) else {
            throw Failure(.pattern, "expected \(withArticle(T.schemaName)) matching \(T.pattern.source)")
        }
    }

    /// A typed identifier (which may have been made unchecked) against its pattern.
    static func check<T: SchemaIdentifier>(identifier: T) throws(Failure) {
        try checkIdentifier(identifier.rawValue, T.self)
    }

    /// An integer's bounds.
    static func check(integer i: Int64, minimum: Int64? = nil, maximum: Int64? = nil) throws(Failure) {
        if let minimum, i < minimum { throw rangeFailure(minimum, maximum) }
        if let maximum, i > maximum { throw rangeFailure(minimum, maximum) }
    }

    /// A typed integer's bounds.
    static func check(integer i: Int, minimum: Int64? = nil, maximum: Int64? = nil) throws(Failure) {
        try check(integer: Int64(i), minimum: minimum, maximum: maximum)
    }

    /// A number's bounds. A value built in Swift that is not finite has no JSON form but `null`
    /// (``JSONWriter/number(_:)-(Double)``), refused as the decoder refuses a `null`.
    static func check(number d: Double, minimum: Double? = nil, maximum: Double? = nil) throws(Failure) {
        guard d.isFinite else { throw typeMismatch("a number", .null) }
        if let minimum, d < minimum { throw Failure(.range, "expected a number of at least \(minimum)") }
        if let maximum, d > maximum { throw Failure(.range, "expected a number of at most \(maximum)") }
    }

    /// The earliest and latest instants whose RFC 3339 form is a timestamp of the catalog (years
    /// 0001 to 9999).
    private static let timestampRange =
        Timestamp(rfc3339: "0001-01-01T00:00:00Z")!...Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z")!

    /// A timestamp built in Swift: its RFC 3339 form must be one the decoder reads (a four-digit
    /// year from 0001). Outside that range its form is decoded, for the decoder's own refusal.
    static func check(timestamp t: Timestamp) throws(Failure) {
        if timestampRange.contains(t) { return }
        _ = try timestamp(.string(t.rfc3339))
    }

    /// `minItems` / `maxItems`.
    static func check(count: Int, minItems: Int = 0, maxItems: Int = .max) throws(Failure) {
        if count < minItems || count > maxItems {
            let bounds =
                maxItems == .max
                ? "at least \(minItems)" : minItems == 0 ? "at most \(maxItems)" : "\(minItems) to \(maxItems)"
            throw Failure(.count, "expected \(bounds) items, got \(count)")
        }
    }

    /// `uniqueItems: true` (reported at the array).
    static func check<T: Hashable>(unique items: [T]) throws(Failure) {
        var seen = Set<T>()
        for item in items where !seen.insert(item).inserted {
            throw Failure(.duplicate, "expected distinct items; an item appears more than once")
        }
    }

    /// A map's key against `propertyNames`' pattern (reported at the key).
    static func check(key: String, _ keyPattern: SchemaPattern?) throws(Failure) {
        if let keyPattern, !keyPattern.matches(key) {
            throw Failure(.pattern, at: "/" + JSONPointer.escape(key), "expected a key matching \(keyPattern.source)")
        }
    }

    /// A map's `required` keys.
    static func check<T>(requiredKeys: [String], of map: [String: T]) throws(Failure) {
        for key in requiredKeys where map[key] == nil {
            throw Failure(.required, at: "/" + JSONPointer.escape(key), "\(key) is required")
        }
    }

    /// A map built in Swift, as ``map(_:required:keyPattern:minProperties:maxProperties:_:)`` checks
    /// its JSON form (written with the keys sorted): each key and value in that order, then the
    /// required keys and the count.
    static func check<T>(
        map: [String: T], required: [String], keyPattern: SchemaPattern?, minProperties: Int = 0,
        maxProperties: Int = .max, _ element: (T) throws(Failure) -> Void
    ) throws(Failure) {
        for key in map.keys.sorted() {
            try check(key: key, keyPattern)
            do throws(Failure) {
                try element(map[key]!)
            } catch {
                throw error.under(key)
            }
        }
        try check(requiredKeys: required, of: map)
        try properties(map.count, minProperties: minProperties, maxProperties: maxProperties)
    }

    /// An array built in Swift, as ``array(_:minItems:maxItems:_:)`` checks its JSON form: the count,
    /// then each item (reported at its index).
    static func check<T>(
        array items: [T], minItems: Int = 0, maxItems: Int = .max, _ element: (T) throws(Failure) -> Void
    ) throws(Failure) {
        try check(count: items.count, minItems: minItems, maxItems: maxItems)
        for (i, item) in items.enumerated() {
            do throws(Failure) {
                try element(item)
            } catch {
                throw error.under(i)
            }
        }
    }

    /// A field of a value built in Swift, its refusal reported under the field's name.
    @inline(__always)
    static func field(_ key: String, _ check: () throws(Failure) -> Void) throws(Failure) {
        do throws(Failure) {
            try check()
        } catch {
            throw error.under(key)
        }
    }
}
