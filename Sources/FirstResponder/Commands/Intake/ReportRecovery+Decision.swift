public import EventStore

extension ReportRecovery {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.caseFile(caseId)
        let policy = try context.policy()
        var decision = Decision()
        decision.append(
            RecoveryReported(
                caseId: caseId, youthRef: youthRef, agency: agency, agencyName: agencyName, station: station,
                area: area,
                contactAt: contactAt, context: self.context, operationId: operationId, ageAtContact: ageAtContact,
                language: language, onSupervision: onSupervision, awol: awol))
        decision.append(
            TimerScheduled(
                timerId: file.caseTimerId(.protocol72), kind: .protocol72,
                dueAt: contactAt.adding(seconds: CaseMilestones.windowSeconds), caseId: caseId))
        decision.append(
            TimerScheduled(
                timerId: file.caseTimerId(.health72), kind: .health72,
                dueAt: contactAt.adding(seconds: Int64(policy.threshold(.health72))), caseId: caseId))
        return decision
    }
}
