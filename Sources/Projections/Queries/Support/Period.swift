public import EventStore

/// A reporting period on the time that places each fact in it (a recovery's contact, an arrest's
/// arrest time, a session's day, a clock's start): from (inclusive) to (exclusive); open ends are
/// unbounded.
public struct Period: Sendable, Equatable, Codable {
    /// The start, inclusive.
    public var from: Timestamp?
    /// The end, exclusive.
    public var to: Timestamp?

    /// A period.
    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Whether `micros` falls in it.
    public func contains(_ micros: Int64) -> Bool {
        if let from, micros < from.microseconds { return false }
        if let to, micros >= to.microseconds { return false }
        return true
    }

    private enum CodingKeys: String, CodingKey { case from, to }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decodeIfPresent(String.self, forKey: .from).flatMap(Timestamp.init(rfc3339:))
        to = try c.decodeIfPresent(String.self, forKey: .to).flatMap(Timestamp.init(rfc3339:))
    }

    /// RFC 3339 ends; an open end is left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(from?.rfc3339, forKey: .from)
        try c.encodeIfPresent(to?.rfc3339, forKey: .to)
    }
}
