public import EventStore

extension ReportMissing {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        var decision = Decision()
        decision.append(
            YouthWentMissing(
                caseId: caseId, youthRef: youthRef, lastSeenAt: lastSeenAt,
                reportedToLawEnforcement: reportedToLawEnforcement))
        return decision
    }
}

extension ReportReturned {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        var decision = Decision()
        decision.append(YouthReturned(caseId: caseId, youthRef: youthRef, how: how, newCaseId: newCaseId))
        return decision
    }
}
