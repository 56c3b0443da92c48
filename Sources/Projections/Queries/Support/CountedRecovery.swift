/// A recovery as every figure counts it: an in-scope case, the youth it was (linked references
/// resolved to one person) and whether that youth was recovered before. The one rule for
/// recoveries, unique youth and repeats, read by the `recoveries` view and the Board report.
public struct CountedRecovery: Sendable {
    /// The case.
    public var record: CaseRecord
    /// The youth: the smallest of the references linked to them.
    public var youth: String
    /// Whether the youth has an earlier in-scope recovery anywhere in the log (by contact time).
    public var isRepeat: Bool

    /// Every in-scope recovery of `records` (cases deemed out of scope are not recoveries), in
    /// contact order: repeats are decided over the whole log, whatever period is later selected, so
    /// a period's recoveries minus its repeats are first-ever recoveries.
    public static func all(_ records: [CaseRecord]) -> [CountedRecovery] {
        var youth = YouthIdentities()
        for record in records {
            for linked in record.linkedYouthRefs { youth.link(record.youthRef, linked) }
        }
        var seen = Set<String>()
        var out: [CountedRecovery] = []
        for record in records.filter({ $0.outOfScope == nil }).sorted(by: {
            ($0.contactAt, $0.caseId) < ($1.contactAt, $1.caseId)
        }) {
            let person = youth.person(record.youthRef)
            out.append(CountedRecovery(record: record, youth: person, isRepeat: !seen.insert(person).inserted))
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
