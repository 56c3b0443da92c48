public import EventStore

extension JSONWriter {
    /// Writes any JSON value (object members in their order).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .integer(let i): number(i)
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let object):
            beginObject()
            for (k, v) in object {
                key(k)
                self.value(v)
            }
            endObject()
        }
    }

    /// Writes an RFC 3339 timestamp (UTC, microseconds when not zero).
    public mutating func timestamp(_ value: Timestamp) {
        string(value.rfc3339)
    }

    /// Writes a number; integral values within ±2^53 are written without a fraction, so `2` stays
    /// `2` and not `2.0`.
    public mutating func double(_ value: Double) {
        if value.rounded(.towardZero) == value, abs(value) < 9_007_199_254_740_992 {
            number(Int64(value))
        } else {
            number(value)
        }
    }
}
