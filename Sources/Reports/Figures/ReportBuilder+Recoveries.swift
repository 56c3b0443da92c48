import FirstResponder

extension ReportBuilder {
    typealias R = ReportFacts.Recovery

    var recoveryMeasures: [Breakdown<R>.Measure] {
        [
            .init(id: "recoveries", title: "Recoveries", additive: true) { .count($0.count, .children) },
            .init(
                id: "youth", title: "Unique youth", additive: false,
                value: { .count(Set($0.map(\.youth)).count, .children) }, basis: ["recoveries"]),
            .init(
                id: "repeats", title: "Repeat recoveries", additive: true,
                value: { .count($0.filter(\.isRepeat).count, .children) }, basis: ["recoveries"]),
        ]
    }

    /// Keys of the period's recovery totals, shared by every breakdown's total row.
    static let recoveryTotals = [
        "recoveries": "recoveries.total.recoveries", "youth": "recoveries.total.youth",
        "repeats": "recoveries.total.repeats",
    ]

    mutating func recoveriesSection() -> Report.Section {
        let facts = recoveries(request.period)
        var section = Report.Section(id: "recoveries", title: "Recoveries and unique youth")
        section.blocks.append(
            .text(
                "A recovery is a law-enforcement contact with a youth reported under the protocol; the same youth "
                    + "recovered again is a repeat recovery, so recoveries and unique youth differ. Youth are "
                    + "counted once however many references were linked to them."))
        section.blocks.append(.table(summaryTable()))
        func add(_ b: Breakdown<R>, _ categories: [Breakdown<R>.Category], chart: Chart?) {
            let (table, lines) = b.table(facts, categories)
            self.lines += lines
            if let chart { section.blocks.append(.chart(chart)) }
            section.blocks.append(.table(table))
        }
        var byMonth = Breakdown<R>(
            id: "recoveries.by-month", title: "Recoveries by month of contact", rowHeading: "Month",
            measures: recoveryMeasures,
            note: "Unique youth are counted once per row; a youth recovered in two months counts in both, so that "
                + "column does not add up to its total.")
        byMonth.totalKeys = Self.recoveryTotals
        add(
            byMonth, monthCategories { $0.contactAt },
            chart: Chart(
                id: "chart-recoveries-month", kind: .columns, title: "Recoveries by month of contact",
                tableId: byMonth.id, series: ["recoveries"], valueLabel: "recoveries"))
        var byStation = Breakdown<R>(
            id: "recoveries.by-station", title: "Recoveries by agency and station", rowHeading: "Agency / station",
            measures: recoveryMeasures)
        byStation.totalKeys = Self.recoveryTotals
        var stationRows: [Breakdown<R>.Category] = []
        for agency in Set(facts.map(\.agency)).sorted() {
            let stations = Set(facts.filter { $0.agency == agency }.map(\.station)).sorted()
            let agencyId = slug(agency)
            stationRows.append(
                .init(id: agencyId, label: agency, members: stations.map { agencyId + "-" + slug($0) }) {
                    $0.agency == agency
                })
            for station in stations {
                stationRows.append(
                    .init(id: agencyId + "-" + slug(station), label: station, level: 1) {
                        $0.agency == agency && $0.station == station
                    })
            }
        }
        add(
            byStation, stationRows,
            chart: Chart(
                id: "chart-recoveries-agency", kind: .bar, title: "Recoveries by contacting agency",
                tableId: byStation.id, series: ["recoveries"], valueLabel: "recoveries"))
        var byArea = Breakdown<R>(
            id: "recoveries.by-area", title: "Recoveries by Service Planning Area", rowHeading: "Area",
            measures: recoveryMeasures)
        byArea.totalKeys = Self.recoveryTotals
        add(
            byArea, (1...8).map { n in .init(id: "spa\(n)", label: "SPA \(n)") { $0.area == "SPA\(n)" } },
            chart: Chart(
                id: "chart-recoveries-area", kind: .bar, title: "Recoveries by Service Planning Area",
                tableId: byArea.id, series: ["recoveries"], valueLabel: "recoveries"))
        var byAge = Breakdown<R>(
            id: "recoveries.by-age", title: "Recoveries by age at contact", rowHeading: "Age band",
            measures: recoveryMeasures)
        byAge.totalKeys = Self.recoveryTotals
        add(
            byAge,
            AgeBand.all.map { band in .init(id: band.id, label: band.label) { AgeBand.of($0.age) == band } },
            chart: Chart(
                id: "chart-recoveries-age", kind: .bar, title: "Recoveries by age at contact", tableId: byAge.id,
                series: ["recoveries"], valueLabel: "recoveries"))
        return section
    }

    /// The key figures of the period.
    func summaryTable() -> ReportTable {
        let r = recoveries(request.period)
        let a = arrests(request.period)
        let s = sessions(request.period)
        var t = ReportTable(
            id: Self.summaryTableId, title: "Key figures for the period", rowHeading: "Figure",
            columns: [.init("value", "This period")])
        func row(_ id: String, _ label: String, _ cell: Cell) {
            t.rows.append(.init(id: id, label: label, cells: [cell]))
        }
        row(
            "recoveries", "Recoveries", Cell(key: Self.recoveryTotals["recoveries"]!, value: .count(r.count, .children))
        )
        row(
            "youth", "Unique youth",
            Cell(key: Self.recoveryTotals["youth"]!, value: .count(Set(r.map(\.youth)).count, .children)))
        row(
            "repeats", "Repeat recoveries",
            Cell(key: Self.recoveryTotals["repeats"]!, value: .count(r.filter(\.isRepeat).count, .children)))
        row("arrests", "Arrests", Cell(key: Self.arrestTotal, value: .count(a.count, .arrests)))
        row("classes", "Training classes", Cell(key: Self.classesTotal, value: .count(s.count, .classes)))
        row(
            "people", "People trained",
            Cell(key: Self.peopleTotal, value: .count(s.reduce(0) { $0 + $1.attendees }, .people)))
        return t
    }
}
