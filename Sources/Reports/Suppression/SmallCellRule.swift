/// Small-cell suppression: the public-health rule that protects children in a published table.
///
/// 1. **Primary**: every count of children below ``threshold`` (0 to 10) is shown as "<11".
/// 2. **Complementary**: a suppressed count must not be recoverable by subtraction. Each additive
///    ``Line`` (a total and the parts that sum to it: months to the period, stations to their
///    agency, met + breached + open + excluded to all clocks) that has exactly one suppressed member
///    gets a second one: the smallest part still shown (the total only when no part is left), the
///    key breaking ties, so the choice is deterministic. Repeated until no line changes, since a
///    total shared by several tables carries a suppression from one line into the next.
/// 3. **Derived**: a median, percentile, share or change is withheld ("—") when any count it is
///    computed from is suppressed (a share of a known total would reveal its numerator), and a count
///    bounded by a suppressed one (the unique youth of a row whose recoveries are suppressed) is
///    suppressed with it.
///
/// Arrests, training and dispatch actions are not counts of children and are never suppressed.
public enum SmallCellRule {
    /// Counts of children below this are suppressed.
    public static let threshold = 11
    /// How a suppressed count is shown.
    public static let suppressedText = "<11"
    /// How a withheld statistic is shown.
    public static let withheldText = "—"
    /// The footnote every format prints when something was suppressed.
    public static let footnote =
        "Counts of children below 11 are shown as \"<11\" (small-cell suppression). Where a suppressed count "
        + "could be worked out from a total and the other counts, further counts are suppressed too "
        + "(complementary suppression), and medians, percentiles, shares and changes computed from a "
        + "suppressed count are shown as \"—\". Arrests and training are not counts of children and are "
        + "never suppressed."

    /// An additive relation between figures: `total` is the sum of `parts`.
    public struct Line: Sendable, Hashable {
        /// The total's key.
        public var total: String
        /// The parts' keys.
        public var parts: [String]

        /// A line.
        public init(total: String, parts: [String]) {
            self.total = total
            self.parts = parts
        }
    }

    /// What suppression did.
    public struct Outcome: Sendable, Hashable {
        /// Keys suppressed because they were small.
        public var primary: Set<String> = []
        /// Keys suppressed to protect another.
        public var complementary: Set<String> = []
        /// Derived figures withheld.
        public var withheld: Set<String> = []

        /// Whether anything was suppressed.
        public var isEmpty: Bool { primary.isEmpty && complementary.isEmpty && withheld.isEmpty }
    }

    /// Suppresses the figures of `sections` under the rule, given the additive `lines` between them,
    /// and returns what it did.
    public static func apply(to sections: inout [Report.Section], lines: [Line]) -> Outcome {
        var counts: [String: Int] = [:]
        var basis: [String: [String]] = [:]
        var derived = Set<String>()
        for section in sections {
            for table in section.tables {
                for cell in table.cells {
                    if !cell.basis.isEmpty { basis[cell.key] = cell.basis }
                    switch cell.value {
                    case .count(let n, let unit):
                        if unit.isSuppressible { counts[cell.key] = n }
                    default:
                        if !cell.basis.isEmpty { derived.insert(cell.key) }
                    }
                }
            }
        }
        var outcome = Outcome()
        outcome.primary = Set(counts.filter { $0.value < threshold }.keys)
        var suppressed = outcome.primary
        // Lines over figures that are not suppressible counts (or not in the report) do not bind.
        let binding = lines.filter { line in
            counts[line.total] != nil && line.parts.allSatisfy { counts[$0] != nil }
        }
        var changed = true
        while changed {
            changed = false
            // A figure bounded by or computed from a suppressed count goes with it (unique youth
            // of a row whose recoveries are suppressed; a median of a suppressed n).
            for (key, on) in basis where !suppressed.contains(key) && on.contains(where: suppressed.contains) {
                suppressed.insert(key)
                if derived.contains(key) { outcome.withheld.insert(key) } else { outcome.complementary.insert(key) }
                changed = true
            }
            for line in binding {
                let members = [line.total] + line.parts
                guard members.filter(suppressed.contains).count == 1 else { continue }
                let candidates = line.parts.filter { !suppressed.contains($0) }
                let pick =
                    candidates.min { (counts[$0]!, $0) < (counts[$1]!, $1) }
                    ?? (suppressed.contains(line.total) ? nil : line.total)
                guard let pick else { continue }
                suppressed.insert(pick)
                outcome.complementary.insert(pick)
                changed = true
            }
        }
        for s in sections.indices {
            for b in sections[s].blocks.indices {
                guard case .table(var table) = sections[s].blocks[b] else { continue }
                for r in table.rows.indices {
                    for c in table.rows[r].cells.indices where table.rows[r].cells[c] != nil {
                        table.rows[r].cells[c]!.suppressed = suppressed.contains(table.rows[r].cells[c]!.key)
                    }
                }
                sections[s].blocks[b] = .table(table)
            }
        }
        return outcome
    }
}
