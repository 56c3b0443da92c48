import Testing

@testable import Reports

@Suite("Small-cell suppression")
struct SmallCellRuleTests {
    /// A one-table report: rows a, b, c and a total, one count column of `unit`.
    func sections(_ values: [Int], unit: CountUnit = .children) -> [Report.Section] {
        var t = ReportTable(id: "t", title: "T", rowHeading: "Row", columns: [.init("n", "N")])
        for (i, v) in values.enumerated() {
            t.rows.append(.init(id: "r\(i)", label: "r\(i)", cells: [Cell(key: "t.r\(i).n", value: .count(v, unit))]))
        }
        t.rows.append(
            .init(
                id: "total", label: "Total", cells: [Cell(key: "t.total.n", value: .count(values.reduce(0, +), unit))],
                isTotal: true))
        return [Report.Section(id: "s", title: "S", blocks: [.table(t)])]
    }

    var line: SmallCellRule.Line { .init(total: "t.total.n", parts: (0..<3).map { "t.r\($0).n" }) }

    func shown(_ s: [Report.Section]) -> [String] { s[0].tables[0].rows.map { $0.cells[0]!.display } }

    @Test func aSmallCountIsProtectedByTheNextSmallest() {
        var s = sections([4, 30, 12])
        let outcome = SmallCellRule.apply(to: &s, lines: [line])
        #expect(shown(s) == ["<11", "30", "<11", "46"])
        #expect(outcome.primary == ["t.r0.n"] && outcome.complementary == ["t.r2.n"])
    }

    @Test func twoSmallCountsProtectEachOther() {
        var s = sections([4, 30, 7])
        _ = SmallCellRule.apply(to: &s, lines: [line])
        #expect(shown(s) == ["<11", "30", "<11", "41"])
    }

    @Test func aSmallTotalTakesAPartWithIt() {
        var s = sections([0, 3, 4])
        _ = SmallCellRule.apply(to: &s, lines: [line])
        #expect(shown(s) == ["<11", "<11", "<11", "<11"])
    }

    @Test func zeroAndTenAreSuppressedElevenIsNot() {
        var s = sections([0, 10, 11])
        _ = SmallCellRule.apply(to: &s, lines: [])
        #expect(shown(s) == ["<11", "<11", "11", "21"])
    }

    @Test func arrestsAndTrainingAreNeverSuppressed() {
        for unit in [CountUnit.arrests, .classes, .people, .actions] {
            var s = sections([1, 2, 3], unit: unit)
            let outcome = SmallCellRule.apply(to: &s, lines: [line])
            #expect(shown(s) == ["1", "2", "3", "6"] && outcome.isEmpty)
        }
    }

    @Test func aStatisticOfASuppressedCountIsWithheld() {
        var t = ReportTable(id: "t", title: "T", rowHeading: "Row", columns: [.init("n", "N"), .init("m", "Median")])
        t.rows.append(
            .init(
                id: "a", label: "a",
                cells: [Cell(key: "n", value: .count(9, .children)), Cell(key: "m", value: .minutes(40), basis: ["n"])])
        )
        var s = [Report.Section(id: "s", title: "S", blocks: [.table(t)])]
        let outcome = SmallCellRule.apply(to: &s, lines: [])
        #expect(s[0].tables[0].rows[0].cells.map { $0!.display } == ["<11", "—"])
        #expect(outcome.withheld == ["m"])
    }

    /// Whatever the counts, no line is left with exactly one suppressed member (it could be
    /// recovered by subtraction).
    @Test(arguments: 0..<200)
    func noLineLeavesOneSuppressedMember(seed: Int) {
        var g = seed &* 2_654_435_761 &+ 1
        func next() -> Int {
            g = g &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((g >> 33) % 40)
        }
        var s = sections([next(), next(), next()])
        _ = SmallCellRule.apply(to: &s, lines: [line])
        let suppressed = s[0].tables[0].rows.filter { $0.cells[0]!.suppressed }.count
        #expect(suppressed != 1)
        for row in s[0].tables[0].rows where row.cells[0]!.count! < 11 { #expect(row.cells[0]!.suppressed) }
    }
}
