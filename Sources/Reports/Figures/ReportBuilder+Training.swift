import Foundation

extension ReportBuilder {
    static let classesTotal = "training.total.classes"
    static let peopleTotal = "training.total.people"

    typealias S = ReportFacts.Session

    var trainingMeasures: [Breakdown<S>.Measure] {
        [
            .init(id: "classes", title: "Classes", additive: true) { .count($0.count, .classes) },
            .init(id: "people", title: "People trained", additive: true) {
                .count($0.reduce(0) { $0 + $1.attendees }, .people)
            },
        ]
    }

    mutating func trainingSection() -> Report.Section {
        var section = Report.Section(id: "training", title: "Training and the Parent Empowerment Program")
        let held = sessions(request.period)
        section.blocks.append(
            .text(
                "Classes held in the period (by the day each was held) and the people they trained (the sum of "
                    + "attendees). Not counts of children; not suppressed."))
        let shared = ["classes": Self.classesTotal, "people": Self.peopleTotal]
        var byCourse = Breakdown<S>(
            id: "training.by-course", title: "Training by course", rowHeading: "Course", measures: trainingMeasures)
        byCourse.totalKeys = shared
        let titles = Dictionary(held.map { ($0.courseCode, $0.courseTitle) }) { a, _ in a }
        addTable(
            byCourse, held, valueCategories(held, { $0.courseCode }, label: { "\($0) · \(titles[$0] ?? $0)" }),
            into: &section)
        var bySector = Breakdown<S>(
            id: "training.by-sector", title: "Training by audience sector", rowHeading: "Audience sector",
            measures: trainingMeasures)
        bySector.totalKeys = shared
        section.blocks.append(
            .chart(
                Chart(
                    id: "chart-training-sector", kind: .bar, title: "People trained by audience sector",
                    tableId: bySector.id, series: ["people"], valueLabel: "people trained")))
        addTable(
            bySector, held,
            valueCategories(
                held, { $0.audienceSector }, label: { $0.replacingOccurrences(of: "-", with: " ") }),
            into: &section)
        let started = placed(facts.cohorts, in: request.period, by: \.startedAt)
        let completed = placed(facts.cohorts.compactMap(\.completed), in: request.period) { $0.at }
        var cohorts = ReportTable(
            id: "training.parent-cohorts", title: "Parent Empowerment Program cohorts", rowHeading: "Cohorts",
            columns: [.init("cohorts", "Cohorts"), .init("parents", "Parents and caregivers")],
            note: "Started: enrolled at the start. Completed: completers of the cohorts that finished in the period.")
        cohorts.rows.append(
            .init(
                id: "started", label: "Started in the period",
                cells: [
                    Cell(key: cohorts.key("started", "cohorts"), value: .count(started.count, .classes)),
                    Cell(
                        key: cohorts.key("started", "parents"),
                        value: .count(started.reduce(0) { $0 + $1.participants }, .people)),
                ]))
        cohorts.rows.append(
            .init(
                id: "completed", label: "Completed in the period",
                cells: [
                    Cell(key: cohorts.key("completed", "cohorts"), value: .count(completed.count, .classes)),
                    Cell(
                        key: cohorts.key("completed", "parents"),
                        value: .count(completed.reduce(0) { $0 + $1.completers }, .people)),
                ]))
        section.blocks.append(.table(cohorts))
        return section
    }
}
