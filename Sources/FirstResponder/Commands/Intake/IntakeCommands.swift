import EventStore

extension LinkYouthIdentity {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        guard !(try context.roster().cases(ofYouth: sameAsYouthRef).isEmpty) else {
            throw CommandRejection(
                .unknownRecord, "no reported case has youth reference \(sameAsYouthRef)", field: "/sameAsYouthRef")
        }
        var decision = Decision()
        decision.append(
            YouthIdentityLinked(
                caseId: caseId, youthRef: youthRef, sameAsYouthRef: sameAsYouthRef, basis: basis, reason: reason))
        return decision
    }
}

extension CreateHotlineReferral {
    func decide(_ context: CommandContext) throws -> Decision {
        let file = try context.existingCase(caseId)
        var decision = Decision()
        decision.append(
            HotlineReferralCreated(caseId: caseId, referralNumber: referralNumber, responseCategory: responseCategory))
        let timerId = file.caseTimerId(.hotlineImmediate)
        if responseCategory == .immediate, !file.scheduledTimerIds.contains(timerId) {
            let threshold = try context.policy().threshold(.hotlineImmediate)
            decision.append(
                TimerScheduled(
                    timerId: timerId, kind: .hotlineImmediate,
                    dueAt: context.occurredAt.adding(seconds: Int64(threshold)), caseId: caseId))
        }
        return decision
    }
}
