/// What a count counts. Counts of children are subject to small-cell suppression; the others
/// (arrests of adults, training, dispatch actions) are published as they are.
public enum CountUnit: String, Sendable, Hashable, CaseIterable {
    /// Children: recoveries, youth, cases, clocks of a case. Suppressed below 11.
    case children
    /// Arrests of adults.
    case arrests
    /// Training classes or parent cohorts.
    case classes
    /// People trained, parents enrolled.
    case people
    /// Dispatch actions (notifications, acknowledgements, declines, escalations).
    case actions

    /// Whether counts of this unit are suppressed below the threshold.
    public var isSuppressible: Bool { self == .children }
}

/// One figure of a report: its stable key, its value, and (after suppression) what is shown.
public struct Cell: Sendable, Hashable {
    /// A figure's value.
    public enum Value: Sendable, Hashable {
        /// A count.
        case count(Int, CountUnit)
        /// Whole minutes (a median or a 90th percentile); nil when there is nothing to measure.
        case minutes(Int?)
        /// A share in percent, one decimal; nil when the denominator is zero.
        case percent(Double?)
        /// A change in percent against the comparison period; nil when the earlier count is zero.
        case change(Double?)
        /// Text (an operation's name, a period).
        case text(String)
    }

    /// The figure's stable key, unique in the report: `recoveries.by-month.2025-03.recoveries`.
    /// The same figure shown in two tables has the same key (and so the same suppression).
    public var key: String
    /// The value.
    public var value: Value
    /// Keys of the counts this figure is computed from: it is withheld when any of them is.
    public var basis: [String]
    /// Whether suppression withheld it.
    public var suppressed = false

    /// A figure.
    public init(key: String, value: Value, basis: [String] = []) {
        self.key = key
        self.value = value
        self.basis = basis
    }

    /// The count, when the figure is one.
    public var count: Int? {
        if case .count(let n, _) = value { return n }
        return nil
    }

    /// What a reader sees: the value, or "<11" for a suppressed count and "—" for a withheld
    /// statistic.
    public var display: String {
        if suppressed {
            if case .count = value { return SmallCellRule.suppressedText }
            return SmallCellRule.withheldText
        }
        switch value {
        case .count(let n, _): return grouped(n)
        case .minutes(let m): return m.map(String.init) ?? "–"
        case .percent(let p): return p.map { format($0, decimals: 1) + "%" } ?? "–"
        case .change(let c): return c.map { ($0 > 0 ? "+" : "") + format($0, decimals: 1) + "%" } ?? "–"
        case .text(let t): return t
        }
    }

    /// The machine-readable value: nil when withheld or not measurable.
    public var machineValue: Double? {
        guard !suppressed else { return nil }
        switch value {
        case .count(let n, _): return Double(n)
        case .minutes(let m): return m.map(Double.init)
        case .percent(let p), .change(let p): return p.map { rounded($0, decimals: 1) }
        case .text: return nil
        }
    }
}

/// `n` with a comma between thousands: `19,492`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

/// `value` rounded half away from zero to `decimals` places and printed with exactly that many.
func format(_ value: Double, decimals: Int) -> String {
    let scale = decimals == 0 ? 1 : Int(pow10(decimals))
    let scaled = Int((abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero))
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(scaled) }
    return sign + String(scaled / scale) + "." + pad(scaled % scale, decimals)
}

/// `value` rounded half away from zero to `decimals` places.
func rounded(_ value: Double, decimals: Int) -> Double {
    let scale = pow10(decimals)
    return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
}

private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }

/// `n` zero-padded to `width` digits.
func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
