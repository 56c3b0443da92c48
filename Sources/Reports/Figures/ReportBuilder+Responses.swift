import EventStore
import FirstResponder
import Projections

/// An on-scene clock as the report counts it: the `cases` view's clock (``ServiceLevelClocks``
/// decides met, breached, open and not applicable) with the contact that places it in a period.
struct MeasuredClock {
    enum Outcome: Equatable {
        case met
        case breached
        case open
        case excluded(String)
    }

    var contactAt: Timestamp
    var station: String
    var outcome: Outcome
    /// Seconds from request to arrival, when it arrived.
    var elapsed: Int64?
    var enteredLate: Bool

    init(_ c: ReportFacts.OnSceneClock) {
        contactAt = c.contactAt
        station = "\(c.clock.agency) \(c.clock.station)"
        enteredLate = c.clock.enteredLate
        switch c.clock.status {
        case .met: outcome = .met
        case .breached: outcome = .breached
        case .open: outcome = .open
        case .notApplicable: outcome = .excluded(c.clock.reason ?? "not recorded")
        }
        let stopped = c.clock.stoppedAt != nil && (outcome == .met || outcome == .breached)
        elapsed = stopped ? Int64(c.clock.elapsedSeconds) : nil
    }
}

extension ReportBuilder {
    typealias M = MeasuredClock

    /// The histogram's bins, minutes: 0–15, 15–30, … 165–180, then 180 and over.
    static let binMinutes = 15
    static let bins = 13

    func clocks(_ period: ReportPeriod, _ level: ServiceLevel) -> [M] {
        placed(facts.onScene, in: period, by: \.contactAt).filter { $0.clock.serviceLevel == level.rawValue }.map(
            M.init)
    }

    var thresholdTitle: String {
        let minutes = Set(facts.policies.map(\.advocateOnSceneMinutes))
        return minutes.count == 1 ? "% within \(minutes.first!) min" : "% within threshold"
    }

    func clockMeasures() -> [Breakdown<M>.Measure] {
        func count(_ f: @escaping (M) -> Bool) -> ([M]) -> Cell.Value { { .count($0.filter(f).count, .children) } }
        func sortedElapsed(_ g: [M]) -> [Int64] { g.compactMap(\.elapsed).sorted() }
        return [
            .init(id: "clocks", title: "Clocks", additive: true) { .count($0.count, .children) },
            .init(id: "met", title: "Met", additive: true, value: count { $0.outcome == .met }),
            .init(id: "breached", title: "Breached", additive: true, value: count { $0.outcome == .breached }),
            .init(id: "open", title: "Open", additive: true, value: count { $0.outcome == .open }),
            .init(id: "excluded", title: "Not applicable", additive: true) { g in
                .count(
                    g.filter { if case .excluded = $0.outcome { return true } else { return false } }.count, .children)
            },
            .init(id: "arrived", title: "Arrived (n)", additive: true, value: count { $0.elapsed != nil }),
            .init(
                id: "median", title: "Median min", additive: false,
                value: { g in
                    .minutes(NearestRank.percentile(50, ofSorted: sortedElapsed(g)).map(wholeMinutes))
                }, basis: ["arrived"]),
            .init(
                id: "p90", title: "p90 min", additive: false,
                value: { g in
                    .minutes(NearestRank.percentile(90, ofSorted: sortedElapsed(g)).map(wholeMinutes))
                }, basis: ["arrived"]),
            .init(
                id: "within", title: thresholdTitle, additive: false,
                value: { g in
                    let met = g.filter { $0.outcome == .met }.count
                    return .percent(percent(met, met + g.filter { $0.outcome == .breached }.count))
                }, basis: ["met", "breached"]),
            .init(id: "late", title: "Entered late", additive: true, value: count(\.enteredLate)),
        ]
    }

    mutating func responseSection() -> Report.Section {
        var section = Report.Section(id: "response-times", title: "Response times")
        section.blocks.append(
            .text(
                "Each response request starts an on-scene clock (ADVOCATE-ON-SCENE for the advocate; AGENCY-ON-SCENE "
                    + "for DCFS, Probation, Mental Health or Health Services) that stops at the first arrival; "
                    + "re-assignment does not restart it. Clocks are counted in the period of the case's contact. "
                    + "Median and p90 are of minutes from request to arrival."))
        let advocate = clocks(request.period, .advocateOnScene)
        let agency = clocks(request.period, .agencyOnScene)
        let measures = clockMeasures()
        // Overall: one row per service level.
        var overall = ReportTable(
            id: "response.overall", title: "On-scene service levels", rowHeading: "Service level",
            columns: measures.map { .init($0.id, $0.title) })
        for (id, label, group) in [
            ("advocate", "Advocate on scene", advocate), ("agency", "Agency on scene", agency),
        ] {
            let cells = measures.map { m in
                Cell(
                    key: "response.\(id).total.\(m.id)", value: m.value(group),
                    basis: m.basis.map { "response.\(id).total.\($0)" })
            }
            overall.rows.append(.init(id: id, label: label, cells: cells))
            lines.append(
                .init(
                    total: "response.\(id).total.clocks",
                    parts: ["met", "breached", "open", "excluded"].map { "response.\(id).total.\($0)" }))
        }
        section.blocks.append(.table(overall))
        for (id, label, group) in [
            ("advocate", "Advocate on scene", advocate), ("agency", "Agency on scene", agency),
        ] {
            let shared = Dictionary(uniqueKeysWithValues: measures.map { ($0.id, "response.\(id).total.\($0.id)") })
            var byStation = Breakdown<M>(
                id: "response.\(id).by-station", title: "\(label) by station", rowHeading: "Station", measures: measures
            )
            byStation.totalKeys = shared
            var stationCategories = valueCategories(group) { $0.station }
            if stationCategories.isEmpty { stationCategories = [] }
            addTable(byStation, group, stationCategories, into: &section)
            var byMonth = Breakdown<M>(
                id: "response.\(id).by-month", title: "\(label) by month of contact", rowHeading: "Month",
                measures: measures)
            byMonth.totalKeys = shared
            addTable(byMonth, group, monthCategories { $0.contactAt }, into: &section)
            for (table, parts) in [
                (byStation.id, stationCategories.map(\.id)), (byMonth.id, request.period.months.map(\.monthKey)),
            ] {
                for row in parts {
                    lines.append(
                        .init(
                            total: "\(table).\(row).clocks",
                            parts: ["met", "breached", "open", "excluded"].map { "\(table).\(row).\($0)" }))
                }
            }
        }
        section.blocks.append(.table(exclusionTable(advocate, agency)))
        let histogram = histogramTable(advocate, agency)
        section.blocks.append(
            .chart(
                Chart(
                    id: "chart-advocate-minutes", kind: .histogram(binMinutes: Self.binMinutes, thresholdMinutes: 90),
                    title: "Minutes from request to advocate arrival", tableId: histogram.id, series: ["advocate"],
                    valueLabel: "arrivals")))
        section.blocks.append(.table(histogram))
        section.blocks.append(.table(actionsTable()))
        return section
    }

    mutating func addTable<F>(
        _ b: Breakdown<F>, _ facts: [F], _ categories: [Breakdown<F>.Category], into section: inout Report.Section
    ) {
        let (table, lines) = b.table(facts, categories)
        self.lines += lines
        section.blocks.append(.table(table))
    }

    private mutating func exclusionTable(_ advocate: [M], _ agency: [M]) -> ReportTable {
        func reason(_ m: M) -> String? { if case .excluded(let r) = m.outcome { return r } else { return nil } }
        let reasons = Set((advocate + agency).compactMap(reason)).sorted()
        var t = ReportTable(
            id: "response.excluded", title: "Clocks not applicable, by reason", rowHeading: "Reason",
            columns: [.init("advocate", "Advocate on scene"), .init("agency", "Agency on scene")],
            note: "Not-applicable clocks are counted by reason, never dropped.")
        for r in reasons {
            t.rows.append(
                .init(
                    id: slug(r), label: r,
                    cells: [
                        Cell(
                            key: t.key(slug(r), "advocate"),
                            value: .count(advocate.filter { reason($0) == r }.count, .children)),
                        Cell(
                            key: t.key(slug(r), "agency"),
                            value: .count(agency.filter { reason($0) == r }.count, .children)),
                    ]))
        }
        t.rows.append(
            .init(
                id: "total", label: "Total",
                cells: [
                    Cell(
                        key: "response.advocate.total.excluded",
                        value: .count(advocate.filter { reason($0) != nil }.count, .children)),
                    Cell(
                        key: "response.agency.total.excluded",
                        value: .count(agency.filter { reason($0) != nil }.count, .children)),
                ], isTotal: true))
        for column in ["advocate", "agency"] {
            lines.append(
                .init(total: "response.\(column).total.excluded", parts: reasons.map { t.key(slug($0), column) }))
        }
        return t
    }

    private mutating func histogramTable(_ advocate: [M], _ agency: [M]) -> ReportTable {
        var t = ReportTable(
            id: "response.minutes", title: "Minutes from request to arrival", rowHeading: "Minutes",
            columns: [.init("advocate", "Advocate arrivals"), .init("agency", "Agency arrivals")])
        func bin(_ m: M) -> Int? { m.elapsed.map { min(Self.bins - 1, Int($0 / Int64(60 * Self.binMinutes))) } }
        for b in 0..<Self.bins {
            let from = b * Self.binMinutes
            let label = b == Self.bins - 1 ? "\(from) and over" : "\(from)–\(from + Self.binMinutes)"
            t.rows.append(
                .init(
                    id: "m\(from)", label: label,
                    cells: [
                        Cell(
                            key: t.key("m\(from)", "advocate"),
                            value: .count(advocate.filter { bin($0) == b }.count, .children)),
                        Cell(
                            key: t.key("m\(from)", "agency"),
                            value: .count(agency.filter { bin($0) == b }.count, .children)),
                    ]))
        }
        t.rows.append(
            .init(
                id: "total", label: "Arrivals",
                cells: [
                    Cell(
                        key: "response.advocate.total.arrived",
                        value: .count(advocate.filter { $0.elapsed != nil }.count, .children)),
                    Cell(
                        key: "response.agency.total.arrived",
                        value: .count(agency.filter { $0.elapsed != nil }.count, .children)),
                ], isTotal: true))
        for column in ["advocate", "agency"] {
            lines.append(
                .init(
                    total: "response.\(column).total.arrived",
                    parts: (0..<Self.bins).map { t.key("m\($0 * Self.binMinutes)", column) }))
        }
        t.note = "Bins include their lower bound: an arrival after exactly 90 minutes is in 90–105."
        return t
    }

    private func actionsTable() -> ReportTable {
        let actions = cases(request.period).reduce(ReportFacts.DispatchActions()) { $0 + $1.actions }
        var t = ReportTable(
            id: "response.actions", title: "Acknowledgements, declines and escalations", rowHeading: "Dispatch action",
            columns: [.init("count", "Count")],
            note: "Counts of dispatch actions on the period's cases (not counts of children).")
        for (id, label, n) in [
            ("notifications", "Notifications sent", actions.notifications),
            ("acknowledgements", "Assignments acknowledged", actions.acknowledgements),
            ("declines", "Assignments declined", actions.declines),
            ("timeouts", "Acknowledgement timeouts", actions.timeouts),
            ("escalations", "Escalations", actions.escalations),
        ] {
            t.rows.append(
                .init(id: id, label: label, cells: [Cell(key: t.key(id, "count"), value: .count(n, .actions))]))
        }
        return t
    }
}
