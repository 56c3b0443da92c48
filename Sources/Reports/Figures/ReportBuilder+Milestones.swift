import FirstResponder
import Foundation

extension ReportBuilder {
    mutating func milestonesSection() -> Report.Section {
        var section = Report.Section(id: "milestones", title: "The 72-hour milestones")
        // A case's window is counted once it has closed (contact + 72 h) by what the report knows.
        let all = recoveries(request.period)
        let closed = all.filter { $0.windowEnd <= knownAt }
        section.blocks.append(
            .text(
                "Within 72 hours of contact a youth is offered a health evaluation, a placement and services. "
                    + "Counted over the \(closed.count == all.count ? "" : "closed ")72-hour windows of the period's "
                    + "recoveries: a window still running when the report was made is not counted yet "
                    + "(\(all.count - closed.count) of \(all.count))."))
        var t = ReportTable(
            id: "milestones", title: "Milestones reached within 72 hours of contact", rowHeading: "Milestone",
            columns: [.init("cases", "Cases"), .init("share", "% of windows")])
        let windows = "milestones.windows.cases"
        func row(_ id: String, _ label: String, _ n: Int, level: Int = 0, total: Bool = false) {
            let key = t.key(id, "cases")
            t.rows.append(
                .init(
                    id: id, label: label,
                    cells: [
                        Cell(key: total ? windows : key, value: .count(n, .children)),
                        Cell(
                            key: t.key(id, "share"), value: .percent(percent(n, closed.count)),
                            basis: [total ? windows : key, windows]),
                    ], level: level, isTotal: total))
        }
        func within(_ r: ReportFacts.Recovery) -> ProtocolWindowClosed.Milestones {
            r.milestones.within(r.windowEnd)
        }
        row("windows", "72-hour windows closed", closed.count, total: true)
        let health = closed.map { within($0).healthEvaluation }
        let healthRows: [(String, String, Int)] = [
            ("health-completed", "Health evaluation completed", health.filter { $0 == .completed }.count),
            ("health-declined", "Health evaluation declined", health.filter { $0 == .declined }.count),
            ("health-none", "Neither within 72 hours", health.filter { $0 == .notDone }.count),
        ]
        for (id, label, n) in healthRows { row(id, label, n, level: 1) }
        lines.append(.init(total: windows, parts: healthRows.map { t.key($0.0, "cases") }))
        let end = { (r: ReportFacts.Recovery) in r.windowEnd }
        let kinds = [
            "home", "relative", "shelter", "foster-family", "ffa-foster-family", "residential-treatment", "other",
        ]
        var placementIds: [String] = []
        for kind in kinds {
            let n = closed.filter { r in r.placement.map { $0.kind == kind && $0.at <= end(r) } ?? false }.count
            row(
                "placement-\(kind)", "Placement at 72 hours: \(kind.replacingOccurrences(of: "-", with: " "))", n,
                level: 1)
            placementIds.append("placement-\(kind)")
        }
        row(
            "placement-none", "No placement decided within 72 hours",
            closed.filter { r in
                r.placement.map { $0.at > end(r) } ?? true
            }.count, level: 1)
        placementIds.append("placement-none")
        lines.append(.init(total: windows, parts: placementIds.map { t.key($0, "cases") }))
        row(
            "missing", "Went missing within 72 hours",
            closed.filter { r in r.milestones.wentMissing(between: r.contactAt, and: end(r)) }.count)
        let answers: [(String, String, (ReportFacts.Recovery) -> Bool)] = [
            (
                "services-accepted", "Services accepted",
                { r in r.servicesAnswer.map { $0.accepted && $0.at <= end(r) } ?? false }
            ),
            (
                "services-declined", "Services declined",
                { r in r.servicesAnswer.map { !$0.accepted && $0.at <= end(r) } ?? false }
            ),
            (
                "services-none", "No answer to services within 72 hours",
                { r in r.servicesAnswer.map { $0.at > end(r) } ?? true }
            ),
        ]
        for (id, label, f) in answers { row(id, label, closed.filter(f).count, level: 1) }
        lines.append(.init(total: windows, parts: answers.map { t.key($0.0, "cases") }))
        section.blocks.append(.table(t))
        return section
    }
}
