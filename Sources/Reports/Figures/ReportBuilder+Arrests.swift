import FirstResponder

extension ReportBuilder {
    static let arrestTotal = "arrests.total.arrests"
    static let roles: [(id: String, label: String)] = [
        ("trafficker", "Traffickers"), ("exploiter", "Exploiters"), ("buyer", "Buyers"), ("other", "Other"),
    ]

    typealias A = ReportFacts.Arrest

    var arrestMeasures: [Breakdown<A>.Measure] {
        Self.roles.map { role in
            .init(id: role.id, title: role.label, additive: true) { g in
                .count(g.filter { $0.role == role.id }.count, .arrests)
            }
        } + [.init(id: "arrests", title: "Arrests", additive: true) { .count($0.count, .arrests) }]
    }

    mutating func arrestsSection() -> Report.Section {
        var section = Report.Section(id: "arrests", title: "Arrests of traffickers, exploiters and buyers")
        let made = arrests(request.period)
        let ytd = arrests(request.yearToDate)
        section.blocks.append(
            .text(
                "Arrests of adults, counted by the time of arrest as last corrected; voided arrests are not counted. "
                    + "Arrests are not counts of children and are not suppressed. Year to date (1 January to "
                    + "\(ReportText.long(request.period.last))): \(ytd.count) arrests."))
        var byRole = ReportTable(
            id: "arrests.by-role", title: "Arrests by role", rowHeading: "Role",
            columns: [.init("arrests", "Arrests"), .init("ytd", "Year to date")])
        for role in Self.roles {
            byRole.rows.append(
                .init(
                    id: role.id, label: role.label,
                    cells: [
                        Cell(
                            key: byRole.key(role.id, "arrests"),
                            value: .count(made.filter { $0.role == role.id }.count, .arrests)),
                        Cell(
                            key: byRole.key(role.id, "ytd"),
                            value: .count(ytd.filter { $0.role == role.id }.count, .arrests)),
                    ]))
        }
        byRole.rows.append(
            .init(
                id: "total", label: "Total",
                cells: [
                    Cell(key: Self.arrestTotal, value: .count(made.count, .arrests)),
                    Cell(key: "arrests.ytd", value: .count(ytd.count, .arrests)),
                ], isTotal: true))
        section.blocks.append(
            .chart(
                Chart(
                    id: "chart-arrests-role", kind: .bar, title: "Arrests by role", tableId: byRole.id,
                    series: ["arrests"], valueLabel: "arrests")))
        section.blocks.append(.table(byRole))
        let shared = ["arrests": Self.arrestTotal]
        var byMonth = Breakdown<A>(
            id: "arrests.by-month", title: "Arrests by month and role", rowHeading: "Month", measures: arrestMeasures)
        byMonth.totalKeys = shared
        section.blocks.append(
            .chart(
                Chart(
                    id: "chart-arrests-month", kind: .stackedBar, title: "Arrests by month, stacked by role",
                    tableId: byMonth.id, series: Self.roles.map(\.id), valueLabel: "arrests")))
        addTable(byMonth, made, monthCategories { $0.arrestedAt }, into: &section)
        var byOperation = Breakdown<A>(
            id: "arrests.by-operation", title: "Arrests by operation", rowHeading: "Operation", measures: arrestMeasures
        )
        byOperation.totalKeys = shared
        let names = facts.operations
        let operationIds = Set(made.compactMap { $0.operationId }).sorted {
            (names[$0] ?? $0, $0) < (names[$1] ?? $1, $1)
        }
        var operationRows: [Breakdown<A>.Category] = operationIds.map { id in
            .init(id: slug(id), label: names[id] ?? id) { $0.operationId == id }
        }
        operationRows.append(.init(id: "none", label: "Not in a named operation") { $0.operationId == nil })
        addTable(byOperation, made, operationRows, into: &section)
        var byArea = Breakdown<A>(
            id: "arrests.by-area", title: "Arrests by Service Planning Area", rowHeading: "Area",
            measures: arrestMeasures)
        byArea.totalKeys = shared
        addTable(
            byArea, made,
            (1...8).map { n in .init(id: "spa\(n)", label: "SPA \(n)") { $0.area == "SPA\(n)" } },
            into: &section)
        return section
    }
}
