/// The age bands figures about children are broken down by (age at contact), the same in every view
/// and report.
public struct AgeBand: Sendable, Hashable {
    /// A stable id: `under-12`, `12-13`, `14-15`, `16-17`, `18-over`, `unknown`.
    public let id: String
    /// For people: `Under 12`, `12–13`, … `Not recorded`.
    public let label: String
    /// The ages in it; `nil` for ages not recorded.
    public let range: ClosedRange<Int>?

    /// Every band, youngest first, then ages not recorded.
    public static let all: [AgeBand] = [
        AgeBand(id: "under-12", label: "Under 12", range: 0...11),
        AgeBand(id: "12-13", label: "12–13", range: 12...13),
        AgeBand(id: "14-15", label: "14–15", range: 14...15),
        AgeBand(id: "16-17", label: "16–17", range: 16...17),
        AgeBand(id: "18-over", label: "18 and over", range: 18...200),
        AgeBand(id: "unknown", label: "Not recorded", range: nil),
    ]

    /// The band of `age` (`unknown` for `nil`).
    public static func of(_ age: Int?) -> AgeBand {
        guard let age else { return all[all.count - 1] }
        return all.first { $0.range?.contains(age) ?? false } ?? all[all.count - 1]
    }
}
