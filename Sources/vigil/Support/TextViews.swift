import EventStore
import Projections

/// Views as text for a terminal (the JSON form is the contract; this is for people).
enum TextViews {
    static func caseBoard(_ board: CaseBoard) -> String {
        var lines = [
            "case board at \(board.now) (position \(board.position)\(lagNote(board.lag))): \(board.cases.count) open, "
                + "\(board.atRisk) at risk"
        ]
        if !board.byPhase.entries.isEmpty {
            lines.append("  " + board.byPhase.entries.map { "\($0.key) \($0.count)" }.joined(separator: ", "))
        }
        for c in board.cases {
            let risk = c.atRisk ? "  AT RISK" : ""
            lines.append("")
            lines.append("\(c.caseId)  \(c.phase)  \(c.youthRef)  \(c.agency) \(c.station) \(c.area)\(risk)")
            for r in c.requests {
                let who = r.responderId.map { "\($0) \(r.responderStatus ?? "")" } ?? "no responder"
                let expected = r.expectedAt.map { ", expected \($0)" } ?? ""
                let escalations = r.escalationLevel > 0 ? ", escalated \(r.escalationLevel)×" : ""
                lines.append(
                    "  \(r.requestId) \(r.role): \(r.phase), \(who)\(escalations), due \(r.deadlineAt)\(expected)"
                        + (r.atRisk ? "  at risk" : ""))
            }
            for clock in c.clocks {
                let left =
                    clock.secondsLeft >= 0
                    ? "\(duration(clock.secondsLeft)) left" : "\(duration(-clock.secondsLeft)) over"
                lines.append(
                    "  clock \(clock.serviceLevel)\(clock.requestId.map { " \($0)" } ?? ""): \(left) (due \(clock.deadlineAt))"
                        + (clock.atRisk ? "  at risk" : ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func responseTimes(_ times: ResponseTimes) -> String {
        var lines = ["response times at \(times.now) (position \(times.position)\(lagNote(times.lag)))"]
        if times.from != nil || times.to != nil {
            lines.append("period: \(times.from ?? "the start") to \(times.to ?? "now") (cases by their contact)")
        }
        for level in times.levels {
            lines.append("")
            lines.append("\(level.serviceLevel): \(stats(level.overall))")
            if !level.overall.notApplicable.entries.isEmpty {
                lines.append(
                    "  not applicable: "
                        + level.overall.notApplicable.entries.map { "\($0.key) \($0.count)" }.joined(separator: ", "))
            }
            if let median = level.overall.fromContactMedianSeconds, let p90 = level.overall.fromContactP90Seconds {
                lines.append("  from contact: median \(duration(median)), p90 \(duration(p90))")
            }
            for (title, slices) in [("by station", level.byStation), ("by area", level.byArea)] where slices.count > 1 {
                lines.append("  \(title):")
                for slice in slices { lines.append("    \(slice.key.padded(10)) \(stats(slice.stats))") }
            }
        }
        if let clocks = times.clocks {
            lines.append("")
            lines.append("clocks:")
            for c in clocks {
                let stop = c.stoppedAt.map { "→ \($0)" } ?? "running"
                let reason = c.reason.map { " (\($0))" } ?? ""
                let late = c.enteredLate ? ", entered late" : ""
                lines.append(
                    "  \(c.caseId) \(c.serviceLevel)\(c.requestId.map { " \($0)" } ?? ""): \(c.startedAt) \(stop), "
                        + "\(duration(c.elapsedSeconds)) of \(duration(c.thresholdSeconds)): \(c.status.rawValue)\(reason)\(late)"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    static func roster(_ board: RosterBoard) -> String {
        let c = board.counts
        var lines = [
            "roster at \(board.now) (position \(board.position)): \(c.onShift) on shift, \(c.available) available, "
                + "\(c.committed) committed, \(c.off) off"
        ]
        for r in board.responders {
            let committed = r.activeCase.map { " on \($0)" } ?? ""
            let ends = r.shiftEndsAt.map { " until \($0)" } ?? ""
            lines.append(
                "  \(r.responderId.padded(10)) \(r.role.padded(10)) \(r.shift.padded(9))\(ends)  \(r.status) since \(r.since)\(committed)"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func milestones(_ m: Milestones) -> String {
        func line(_ title: String, _ s: Milestones.Share) -> String {
            "  \(title.padded(30)) \(s.count) of \(s.of)" + (s.percent.map { " (\($0)%)" } ?? "")
        }
        var lines = [
            "72-hour milestones at \(m.now) (position \(m.position)\(lagNote(m.lag)))\(periodNote(m.period)): "
                + "\(m.cases) cases, \(m.windowEnded) with the window ended, \(m.windowRunning) still running"
        ]
        lines.append(line("hotline referral", m.hotlineReferral))
        lines.append(line("advocate on scene", m.advocateOnScene))
        lines.append(line("agency on scene (requested)", m.agencyOnScene))
        lines.append(line("services offered", m.servicesOffered))
        lines.append(line("health evaluation completed", m.healthEvaluationCompleted))
        lines.append(line("health evaluation declined", m.healthEvaluationDeclined))
        lines.append(line("placement decided", m.placement))
        lines.append(line("MDT meeting", m.mdtMeeting))
        lines.append(line("went missing", m.wentMissing))
        if !m.placementByKind.entries.isEmpty { lines.append("  placements: " + tally(m.placementByKind)) }
        return lines.joined(separator: "\n")
    }

    static func recoveries(_ r: Recoveries) -> String {
        var lines = [
            "recoveries (position \(r.position)\(lagNote(r.lag)))\(periodNote(r.period)): \(r.recoveries) recoveries "
                + "of \(r.uniqueYouth) youth, \(r.repeats) repeat recoveries"
        ]
        if !r.outOfScope.entries.isEmpty { lines.append("  out of scope (not counted): " + tally(r.outOfScope)) }
        for (title, slices) in [
            ("agency", r.byAgency), ("area", r.byArea), ("age band", r.byAgeBand), ("month", r.byMonth),
            ("station", r.byStation),
        ] {
            lines.append("by \(title):")
            for s in slices {
                lines.append(
                    "  \(s.key.padded(14)) \(s.recoveries) recoveries, \(s.uniqueYouth) youth, \(s.repeats) repeats")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func arrests(_ a: Arrests) -> String {
        [
            "arrests (position \(a.position)\(lagNote(a.lag)))\(periodNote(a.period)): \(a.total), "
                + "\(a.corrected) corrected, \(a.enteredLate) entered late; voided (not counted): \(a.voided.total)",
            "  by role: " + tally(a.byRole), "  by month: " + tally(a.byMonth),
            "  by operation: " + tally(a.byOperation),
            "  by area: " + tally(a.byArea), "  by station: " + tally(a.byStation),
        ].joined(separator: "\n")
    }

    static func training(_ t: Training) -> String {
        var lines = [
            "training (position \(t.position)\(lagNote(t.lag)))\(periodNote(t.period)): \(t.sessions) classes, "
                + "\(t.peopleTrained) people trained",
            "  parent cohorts: \(t.cohorts.started) started, \(t.cohorts.completed) completed, "
                + "\(t.cohorts.participants) enrolled, \(t.cohorts.completers) completed the program",
            "by course:",
        ]
        for g in t.byCourse {
            lines.append(
                "  \(g.key.padded(10)) \((g.title ?? "").padded(40)) \(g.sessions) classes, \(g.attendees) people")
        }
        lines.append("by sector:")
        for g in t.bySector { lines.append("  \(g.key.padded(22)) \(g.sessions) classes, \(g.attendees) people") }
        return lines.joined(separator: "\n")
    }

    private static func tally(_ t: Tally) -> String {
        t.entries.isEmpty ? "-" : t.entries.map { "\($0.key) \($0.count)" }.joined(separator: ", ")
    }

    private static func periodNote(_ p: Period) -> String {
        guard p.from != nil || p.to != nil else { return "" }
        return ", \(p.from?.rfc3339 ?? "the start") to \(p.to?.rfc3339 ?? "now")"
    }

    private static func stats(_ s: ResponseTimes.Stats) -> String {
        let median = s.medianSeconds.map(duration) ?? "-"
        let p90 = s.p90Seconds.map(duration) ?? "-"
        let within = s.withinPercent.map { "\($0)%" } ?? "-"
        return "n \(s.n), median \(median), p90 \(p90), within \(within), met \(s.met), breached \(s.breached), "
            + "open \(s.open), n/a \(s.notApplicable.total), late \(s.enteredLate)"
    }

    /// `1h 05m`, `12m 30s`, `45s`.
    static func duration(_ seconds: Int) -> String {
        if seconds >= 3600 { return "\(seconds / 3600)h \(String(format2(seconds / 60 % 60)))m" }
        if seconds >= 60 { return "\(seconds / 60)m \(format2(seconds % 60))s" }
        return "\(seconds)s"
    }

    private static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func lagNote(_ lag: UInt64) -> String { lag == 0 ? "" : ", \(lag) events behind the log" }
}
