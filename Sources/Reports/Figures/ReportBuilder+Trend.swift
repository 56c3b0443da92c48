extension ReportBuilder {
    mutating func trendSection() -> Report.Section {
        var section = Report.Section(id: "trend", title: "Trend against the comparison period")
        guard let previous = request.comparisonPeriod else {
            section.blocks.append(
                .text("No comparison period was asked for (vigil report --compare-to previous|FROM..TO)."))
            return section
        }
        section.blocks.append(
            .text(
                "This period (\(ReportText.long(request.period.first)) to \(ReportText.long(request.period.last))) "
                    + "against \(ReportText.long(previous.first)) to \(ReportText.long(previous.last)), counted by the "
                    + "same rules from the same log position."))
        var t = ReportTable(
            id: "trend", title: "Counts and change against the comparison period", rowHeading: "Figure",
            columns: [
                .init("current", "This period"), .init("previous", "Comparison period"), .init("change", "Change"),
            ])
        func row(_ id: String, _ label: String, _ unit: CountUnit, _ current: String?, _ count: (ReportPeriod) -> Int) {
            let now = count(request.period)
            let before = count(previous)
            let currentKey = current ?? t.key(id, "current")
            let previousKey = t.key(id, "previous")
            t.rows.append(
                .init(
                    id: id, label: label,
                    cells: [
                        Cell(key: currentKey, value: .count(now, unit)),
                        Cell(key: previousKey, value: .count(before, unit)),
                        Cell(
                            key: t.key(id, "change"),
                            value: .change(before == 0 ? nil : Double(now - before) * 100 / Double(before)),
                            basis: [currentKey, previousKey]),
                    ]))
        }
        row("recoveries", "Recoveries (reported cases)", .children, Self.recoveryTotals["recoveries"]) {
            recoveries($0).count
        }
        row("youth", "Unique youth", .children, Self.recoveryTotals["youth"]) { Set(recoveries($0).map(\.youth)).count }
        row("repeats", "Repeat recoveries", .children, Self.recoveryTotals["repeats"]) {
            recoveries($0).filter(\.isRepeat).count
        }
        row("arrests", "Arrests", .arrests, Self.arrestTotal) { arrests($0).count }
        row("classes", "Training classes", .classes, Self.classesTotal) { sessions($0).count }
        row("people", "People trained", .people, Self.peopleTotal) {
            sessions($0).reduce(0) { $0 + $1.attendees }
        }
        section.blocks.append(.table(t))
        return section
    }
}
