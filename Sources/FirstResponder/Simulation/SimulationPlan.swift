public import EventStore

/// A simulation's parameters, kept beside the store (`DIR/simulation.json`) when `vigil simulate
/// --until T` writes only the scenario's past: `vigil serve --simulate` reads them and plays the rest
/// of the same scenario live. The same parameters always give the same steps (``Scenario``), so the
/// live part continues exactly the county the past was written from.
public struct SimulationPlan: Codable, Sendable, Equatable {
    /// The file's name in the data directory.
    public static let fileName = "simulation.json"

    /// The random seed.
    public var seed: UInt64
    /// The scenario's first instant (RFC 3339).
    public var start: String
    /// Its length in days.
    public var days: Int
    /// Recoveries a year.
    public var casesPerYear: Int
    /// Where the written past ends (RFC 3339): the steps from here on are the live part's.
    public var until: String

    /// A plan.
    public init(seed: UInt64, start: Timestamp, days: Int, casesPerYear: Int, until: Timestamp) {
        self.seed = seed
        self.start = start.rfc3339
        self.days = days
        self.casesPerYear = casesPerYear
        self.until = until.rfc3339
    }

    /// The scenario, or `nil` when a time in the file is not RFC 3339.
    public var scenario: Scenario? {
        guard let first = Timestamp(rfc3339: start) else { return nil }
        return Scenario(seed: seed, start: first, days: days, casesPerYear: casesPerYear)
    }

    /// Where the written past ends.
    public var untilInstant: Timestamp? { Timestamp(rfc3339: until) }
}
