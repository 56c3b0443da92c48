/// A recovery as every figure counts it: an in-scope case, the youth it was (linked references
/// resolved to one person) and whether that youth was recovered before. The one rule for
/// recoveries, unique youth and repeats, read by the `recoveries` view and the Board report.
public struct CountedRecovery: Sendable {
    /// The case.
    public var caseId: String
    /// The youth: the smallest of the references linked to them.
    public var youth: String
    /// Whether the youth has an earlier in-scope recovery anywhere in the log (by contact time).
    public var isRepeat: Bool

    /// Every in-scope recovery of `cases` (the `contacts` table: cases deemed out of scope are not
    /// recoveries), by case id. Repeats are decided over the whole log, whatever period is later
    /// selected, so a period's recoveries minus its repeats are first-ever recoveries.
    public static func all(_ cases: [ContactRow]) -> [String: CountedRecovery] {
        var youth = YouthIdentities()
        for c in cases {
            for linked in c.linkedYouthRefs { youth.link(c.youthRef, linked) }
        }
        var seen = Set<String>()
        var out: [String: CountedRecovery] = [:]
        out.reserveCapacity(cases.count)
        for c in cases.filter({ !$0.outOfScope }).sorted(by: { ($0.contactAt, $0.caseId) < ($1.contactAt, $1.caseId) })
        {
            let person = youth.person(c.youthRef)
            out[c.caseId] = CountedRecovery(caseId: c.caseId, youth: person, isRepeat: !seen.insert(person).inserted)
        }
        return out
    }
}

/// Youth references linked as one person (union–find); the smallest reference names the group, so
/// the answer does not depend on the order links were made.
struct YouthIdentities {
    private var parent: [String: String] = [:]

    mutating func person(_ ref: String) -> String {
        var root = ref
        while let p = parent[root], p != root { root = p }
        var node = ref
        while let p = parent[node], p != root {
            parent[node] = root
            node = p
        }
        return root
    }

    mutating func link(_ a: String, _ b: String) {
        let ra = person(a)
        let rb = person(b)
        guard ra != rb else { return }
        if ra < rb { parent[rb] = ra } else { parent[ra] = rb }
    }
}
