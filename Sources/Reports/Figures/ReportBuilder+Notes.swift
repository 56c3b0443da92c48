import EventStore

extension ReportBuilder {
    /// The data notes: period and placing times, percentile method, exclusions, late entries,
    /// corrections and voids, policy versions, suppression.
    func notes(_ suppression: SmallCellRule.Outcome) -> [Report.Note] {
        var notes: [Report.Note] = []
        let period = request.period
        var periodText = "\(ReportText.long(period.first)) to \(ReportText.long(period.last)) inclusive, whole days in "
        periodText += "\(calendar.name)."
        if let c = request.comparisonPeriod {
            periodText += " Compared with \(ReportText.long(c.first)) to \(ReportText.long(c.last))."
        }
        notes.append(.init("Period", periodText))
        notes.append(
            .init(
                "Which time places a fact in the period",
                "Recoveries, and the clocks, milestones and dispatch actions of their cases: the contact time "
                    + "(contactAt). Arrests: the time of arrest (arrestedAt, as last corrected). Training classes and "
                    + "parent cohorts: the day they were held or started (occurredAt)."))
        notes.append(
            .init(
                "Percentiles",
                "Median and p90 by nearest rank: the value at position ⌈n·p⌉ of the clocks' sorted whole seconds "
                    + "from request to first arrival (p = 0.5, 0.9), shown in minutes rounded half up, so every "
                    + "recomputation gives the same number. % within threshold = met ÷ (met + breached)."))
        notes.append(
            .init(
                "Clock outcomes",
                "As the cases view measures every service-level clock: met, first arrival by the request's "
                    + "deadline; breached, later, or the deadline passed with nobody on scene by \(knownAt.rfc3339); "
                    + "open, deadline not yet passed then; not applicable, the response was cancelled, the case was "
                    + "deemed out of scope or closed before the deadline, counted by reason. A clock is entered late "
                    + "when the event that started or stopped it was recorded more than an hour after it happened."))
        let out = cases(period).compactMap(\.outOfScope)
        var exclusions = "Reported cases in the period deemed out of scope: \(small(out.count)) "
        exclusions += "(not counted as recoveries)"
        if !out.isEmpty {
            // Counts by reason only when none is small, or a small one could be recovered from the total.
            let byReason = Dictionary(grouping: out, by: { $0 }).mapValues(\.count)
            let showCounts = byReason.values.allSatisfy { $0 >= SmallCellRule.threshold }
            exclusions += ", by reason: "
            exclusions += byReason.keys.sorted().map { showCounts ? "\($0) \(byReason[$0]!)" : $0 }.joined(
                separator: ", ")
        }
        notes.append(.init("Exclusions", exclusions + ". Voided arrests are not counted."))
        let lateRecoveries = cases(period).filter(\.enteredLate).count
        let lateArrests = arrests(period).filter(\.enteredLate).count
        let lateSessions = sessions(period).filter(\.enteredLate).count
        notes.append(
            .init(
                "Late entries",
                "Entries recorded more than 24 hours after they happened: \(small(lateRecoveries)) recovery "
                    + "reports, \(lateArrests) arrests and \(lateSessions) training classes of this period"
                    + ". A report as known on an earlier date "
                    + "leaves out whatever was recorded after it."))
        let corrected = arrests(period).filter { $0.corrections > 0 }.count
        let voided = placed(facts.voidedArrests, in: period, by: \.arrestedAt).count
        let correctedRecoveries = cases(period).filter { $0.corrections > 0 }.count
        let voidedRecoveries = placed(facts.voidedRecoveries, in: period, by: { $0 }).count
        notes.append(
            .init(
                "Corrections and voids applied",
                "\(corrected) arrest\(corrected == 1 ? "" : "s") of the period counted as corrected; \(voided) "
                    + "voided arrest\(voided == 1 ? "" : "s") not counted. Recovery reports of the period counted as "
                    + "corrected: \(small(correctedRecoveries)); voided as reported in error and not counted: "
                    + "\(small(voidedRecoveries)). Corrections replace fields; nothing in the log is edited."))
        notes.append(.init("Policy versions in force", policyText()))
        notes.append(
            .init(
                "Small-cell suppression",
                SmallCellRule.footnote + " In this report: \(suppression.primary.count) counts below 11, "
                    + "\(suppression.complementary.count) further counts suppressed to protect them, "
                    + "\(suppression.withheld.count) statistics withheld."))
        notes.append(
            .init(
                "Identifying details",
                "No name, date of birth, youth reference, case number or other identifying detail appears in any "
                    + "format of this report; youth are counted, never listed."))
        return notes
    }

    private func small(_ n: Int) -> String { n < SmallCellRule.threshold ? SmallCellRule.suppressedText : String(n) }

    private func policyText() -> String {
        let start = calendar.startOfDay(request.period.first)
        let end = calendar.startOfDay(request.period.last.adding(days: 1))
        let inForce = facts.policies.enumerated().filter { i, p in
            let next = i + 1 < facts.policies.count ? facts.policies[i + 1].from : Timestamp(microseconds: .max)
            return p.from < end && next > start
        }.map(\.element)
        guard !inForce.isEmpty else { return "No dispatch policy was recorded in the log for the period." }
        return inForce.map {
            "v\($0.version) from \($0.from.rfc3339) (advocate on scene \($0.advocateOnSceneMinutes) min, agency "
                + "\($0.agencyOnSceneMinutes) min)"
        }.joined(separator: "; ") + "."
    }
}
