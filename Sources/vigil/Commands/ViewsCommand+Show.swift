import ArgumentParser
import EventStore
import FirstResponder
import Projections
import VigilEngine

extension ViewsCommand {
    /// `vigil views show NAME [--json] [filters]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one view.",
            discussion: """
                NAME is one of: \(ViewName.allCases.map(\.rawValue).joined(separator: ", ")). Times (--now, \
                --from, --to) are RFC 3339 (2026-03-14T02:13:00Z) or a local date (2026-03-14, midnight in \
                Los Angeles). Clocks still running are measured at --now, by default the time the last \
                event in the views was recorded.
                """
        )

        @OptionGroup var store: DataOptions

        @Argument(help: "The view.")
        var name: String

        @Flag(help: "Print one JSON object (stable: keys sorted).")
        var json = false

        @Flag(help: "Read the stored views as they are, without bringing them up to date first.")
        var noUpdate = false

        @OptionGroup var filters: ViewFilters

        func validate() throws {
            guard ViewName(rawValue: name) != nil else {
                throw ValidationError(
                    "NAME: expected one of \(ViewName.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'")
            }
            try filters.check()
        }

        func run() throws {
            let engine = try store.engine(noUpdate ? .readOnly : Engine.Options())
            defer { engine.close() }
            if !noUpdate { try engine.projections.catchUp() }
            let output = try engine.projections.read { reader in
                try Self.render(ViewName(rawValue: name)!, reader, filters: filters, json: json)
            }
            say(output)
        }

        /// `view` read from `reader` with `filters`, as text or JSON (also `vigil replay as-of`'s).
        static func render(_ view: ViewName, _ reader: any ViewReader, filters: ViewFilters, json: Bool) throws
            -> String
        {
            switch view {
            case .caseBoard:
                let board = try CaseBoardQuery(
                    now: filters.nowInstant, station: filters.station, area: filters.area, agency: filters.agency,
                    atRiskOnly: filters.atRisk
                ).run(reader)
                return json ? try ViewJSON.encode(board) : TextViews.caseBoard(board)
            case .responseTimes:
                let times = try ResponseTimesQuery(
                    now: filters.nowInstant, from: filters.fromInstant, to: filters.toInstant, agency: filters.agency,
                    station: filters.station, area: filters.area, serviceLevel: filters.level,
                    caseId: filters.caseId, includeClocks: filters.clocks || filters.caseId != nil
                ).run(reader)
                return json ? try ViewJSON.encode(times) : TextViews.responseTimes(times)
            case .milestones:
                let figures = try MilestonesQuery(
                    now: filters.nowInstant, period: filters.period, agency: filters.agency, station: filters.station,
                    area: filters.area
                ).run(reader)
                return json ? try ViewJSON.encode(figures) : TextViews.milestones(figures)
            case .recoveries:
                let figures = try RecoveriesQuery(
                    period: filters.period, agency: filters.agency, station: filters.station, area: filters.area
                ).run(reader)
                return json ? try ViewJSON.encode(figures) : TextViews.recoveries(figures)
            case .arrests:
                let figures = try ArrestsQuery(
                    period: filters.period, role: filters.role, station: filters.station, area: filters.area
                ).run(reader)
                return json ? try ViewJSON.encode(figures) : TextViews.arrests(figures)
            case .training:
                let figures = try TrainingQuery(period: filters.period, sector: filters.sector).run(reader)
                return json ? try ViewJSON.encode(figures) : TextViews.training(figures)
            case .roster:
                let board = try RosterQuery(now: filters.nowInstant, role: filters.role, onShiftOnly: filters.onShift)
                    .run(reader)
                return json ? try ViewJSON.encode(board) : TextViews.roster(board)
            }
        }
    }
}

/// The filters `vigil views show` and `vigil replay as-of` take.
struct ViewFilters: ParsableArguments {
    @Option(help: ArgumentHelp("Evaluate running clocks and shifts at this moment.", valueName: "TIME"))
    var now: String?

    @Option(
        help: ArgumentHelp(
            "A period's start: facts placed at or after this (a case by its contact, an arrest by its time, …).",
            valueName: "TIME"))
    var from: String?

    @Option(help: ArgumentHelp("A period's end, exclusive.", valueName: "TIME"))
    var to: String?

    @Option(help: "Only this law-enforcement agency (LASD, LAPD, LBPD, …).")
    var agency: String?

    @Option(help: "Only this station.")
    var station: String?

    @Option(help: "Only this Service Planning Area (SPA1 … SPA8).")
    var area: String?

    @Option(help: "response-times: only this service level (ADVOCATE-ON-SCENE, …).")
    var level: String?

    @Option(
        name: .customLong("case"),
        help: "response-times: only this case, with its clocks; replay as-of without a view: this case alone.")
    var caseId: String?

    @Flag(help: "response-times: list every clock, not only the figures.")
    var clocks = false

    @Flag(name: .customLong("at-risk"), help: "case-board: only cases with a clock at risk.")
    var atRisk = false

    @Option(
        help: "roster: only this responder role; arrests: only this arrest role (trafficker, exploiter, buyer, other).")
    var role: String?

    @Option(help: "training: only this audience sector.")
    var sector: String?

    @Flag(name: .customLong("on-shift"), help: "roster: only responders on shift.")
    var onShift = false

    var nowInstant: Timestamp? { now.flatMap(Self.instant) }
    var fromInstant: Timestamp? { from.flatMap(Self.instant) }
    var toInstant: Timestamp? { to.flatMap(Self.instant) }
    var period: Period { Period(from: fromInstant, to: toInstant) }

    /// An RFC 3339 time, or a date (`2026-03-14`: midnight in the county, Pacific time).
    static func instant(_ text: String) -> Timestamp? {
        Timestamp(rfc3339: text) ?? CivilDate(iso: text).map { ReportingCalendar.pacific.startOfDay($0) }
    }

    func check() throws {
        for (flag, value) in [("--now", now), ("--from", from), ("--to", to)] {
            if let value, Self.instant(value) == nil {
                throw ValidationError(
                    "\(flag): expected an RFC 3339 time like 2026-03-14T02:13:00Z or a date like 2026-03-14, got '\(value)'"
                )
            }
        }
        if let from = fromInstant, let to = toInstant, to <= from {
            throw ValidationError("--to: must be after --from")
        }
    }
}
