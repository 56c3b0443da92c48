/// A count by key, kept in key order so its JSON form is stable.
public struct Tally: Codable, Sendable, Equatable {
    /// One key and its count.
    public struct Entry: Codable, Sendable, Equatable {
        /// The key.
        public var key: String
        /// How many.
        public var count: Int
    }

    /// The counts, by key ascending.
    public var entries: [Entry]

    /// Counts `keys`.
    public init<S: Sequence>(_ keys: S) where S.Element == String {
        var counts: [String: Int] = [:]
        for key in keys { counts[key, default: 0] += 1 }
        self.init(counts: counts)
    }

    /// The tally of counts already made, by key.
    public init(counts: [String: Int]) {
        entries = counts.map { Entry(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key }
    }

    /// The count of `key` (0 if absent).
    public subscript(key: String) -> Int { entries.first { $0.key == key }?.count ?? 0 }

    /// The sum of all counts.
    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let dictionary = try c.decode([String: Int].self)
        entries = dictionary.map { Entry(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Encodes as a JSON object (`{"SPA2": 3, …}`); the JSON encoder sorts its keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.count) }))
    }
}
