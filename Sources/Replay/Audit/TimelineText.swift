import EventStore
import FirstResponder

/// One line per event for an auditor: what happened, in the log's own terms (ids, codes), never a
/// personal detail (events carry none).
enum TimelineText {
    static func summary(_ event: CatalogEvent) -> String {
        switch event {
        case .recoveryReported(let e):
            "recovery of \(e.youthRef) by \(e.agency.rawValue) \(e.station) (\(e.area.rawValue)), contact \(e.contactAt.rfc3339), \(e.context.rawValue)"
        case .youthIdentityLinked(let e): "youth \(e.youthRef) is \(e.sameAsYouthRef) (\(e.basis.rawValue))"
        case .hotlineReferralCreated(let e): "hotline referral \(e.referralNumber): \(e.responseCategory.rawValue)"
        case .caseDeemedOutOfScope(let e): "out of scope: \(e.reasonCode.rawValue)"
        case .responseRequested(let e): "\(e.requestId): \(e.role.rawValue) requested, due \(e.deadlineAt.rfc3339)"
        case .recommendationComputed(let e):
            "\(e.requestId): policy v\(e.policyVersion) ranked \(e.candidates.count), excluded \(e.exclusions.count)"
        case .responderAssigned(let e):
            "\(e.requestId): \(e.responderId) assigned (\(e.mode.rawValue)\(e.overrideReason.map { ": \($0)" } ?? ""))"
        case .notificationSent(let e):
            "\(e.requestId): \(e.responderId) notified by \(e.channel.rawValue), attempt \(e.attempt)"
        case .assignmentAcknowledged(let e): "\(e.requestId): \(e.responderId) acknowledged"
        case .assignmentDeclined(let e): "\(e.requestId): \(e.responderId) declined (\(e.reasonCode.rawValue))"
        case .ackTimeoutElapsed(let e):
            "\(e.requestId): \(e.responderId) did not acknowledge in \(e.ackTimeoutSeconds) s"
        case .assignmentEscalated(let e):
            "\(e.requestId): escalated from \(e.fromResponderId) to \(e.toResponderId.map(\.rawValue) ?? e.to.rawValue) (\(e.cause.rawValue), level \(e.escalationLevel))"
        case .responderEnRoute(let e):
            "\(e.requestId): \(e.responderId) en route" + (e.etaMinutes.map { ", ETA \($0) min" } ?? "")
        case .responderArrived(let e): "\(e.requestId): \(e.responderId) on scene"
        case .responderCleared(let e): "\(e.requestId): \(e.responderId) cleared"
        case .responseCancelled(let e): "\(e.requestId): cancelled (\(e.reasonCode.rawValue))"
        case .slaBreached(let e): "\(e.slaId.rawValue) breached (threshold \(e.thresholdSeconds) s)"
        case .servicesOffered(let e): "services offered: \(e.services.map(\.rawValue).joined(separator: ", "))"
        case .servicesAccepted(let e): "services accepted: \(e.services.map(\.rawValue).joined(separator: ", "))"
        case .servicesDeclined(let e): "services declined: \(e.services.map(\.rawValue).joined(separator: ", "))"
        case .medicalEvaluationCompleted(let e): "medical evaluation completed (\(e.kind.rawValue))"
        case .medicalEvaluationDeclined(let e):
            "medical evaluation declined (\(e.kind.rawValue), by \(e.declinedBy.rawValue))"
        case .placementDecided(let e): "placement: \(e.kind.rawValue)"
        case .mdtMeetingHeld(let e): "MDT meeting (\(e.participants.count) participants)"
        case .youthWentMissing: "youth went missing"
        case .youthReturned(let e): "youth returned (\(e.how.rawValue))"
        case .protocolWindowClosed(let e):
            "72-hour window closed: services \(e.milestones.servicesOffered), health \(e.milestones.healthEvaluation.rawValue), placement \(e.milestones.placementDecided)"
        case .caseClosed(let e): "closed: \(e.outcome.rawValue)"
        case .caseReopened(let e): "reopened: \(e.reasonCode.rawValue)"
        case .recordSealed(let e):
            "record sealed (\(e.scope.rawValue), \(e.legalBasis.rawValue)); personal details destroyed"
        case .operationStarted(let e): "operation \(e.operationId) started"
        case .operationEnded(let e): "operation \(e.operationId) ended"
        case .arrestRecorded(let e): "arrest \(e.arrestId): \(e.role.rawValue)"
        case .arrestCorrected(let e): "arrest \(e.arrestId) corrected"
        case .arrestVoided(let e): "arrest \(e.arrestId) voided (\(e.reasonCode.rawValue))"
        case .trainingSessionHeld(let e): "training \(e.sessionId)"
        case .parentProgramCohortStarted(let e): "cohort \(e.cohortId) started"
        case .parentProgramCohortCompleted(let e): "cohort \(e.cohortId) completed"
        case .responderRegistered(let e): "\(e.responderId) registered"
        case .responderDeactivated(let e): "\(e.responderId) deactivated"
        case .shiftScheduled(let e): "shift \(e.shiftId) for \(e.responderId)"
        case .shiftSwapped(let e): "shift \(e.shiftId) to \(e.toResponderId)"
        case .timeOffRecorded(let e): "time off for \(e.responderId)"
        case .responderStatusChanged(let e): "\(e.responderId): \(e.status.rawValue)"
        case .policyChanged(let e): "policy v\(e.policyVersion)"
        case .timerScheduled(let e): "timer \(e.timerId) (\(e.kind.rawValue)) due \(e.dueAt.rfc3339)"
        case .timerCancelled(let e): "timer \(e.timerId) cancelled (\(e.reasonCode.rawValue))"
        case .timerFired(let e): "timer \(e.timerId) (\(e.kind.rawValue)) fired, due \(e.dueAt.rfc3339)"
        case .accessRecorded(let e):
            "\(e.action) \(e.outcome.rawValue) (\(e.status)\(e.refusal.map { ", \($0.rawValue)" } ?? ""))"
        case .areaRegistered(let e): "area \(e.area.rawValue) registered: \(e.name)"
        case .areaRenamed(let e): "area \(e.area.rawValue) renamed: \(e.name)"
        case .areaRetired(let e): "area \(e.area.rawValue) retired"
        case .agencyRegistered(let e): "agency \(e.agencyName ?? e.agency.rawValue) registered: \(e.name)"
        case .agencyRenamed(let e): "agency \(e.agencyName ?? e.agency.rawValue) renamed: \(e.name)"
        case .agencyRetired(let e): "agency \(e.agencyName ?? e.agency.rawValue) retired"
        case .stationRegistered(let e):
            "station \(e.station) registered under \(e.agencyName ?? e.agency.rawValue) in \(e.area.rawValue): \(e.name)"
        case .stationRenamed(let e): "station \(e.station) renamed: \(e.name)"
        case .stationRetired(let e): "station \(e.station) retired"
        case .courseRegistered(let e): "course \(e.courseCode) registered: \(e.title)"
        case .courseRenamed(let e): "course \(e.courseCode) renamed: \(e.title)"
        case .courseRetired(let e): "course \(e.courseCode) retired"
        case .trainingSessionCorrected(let e): "training \(e.sessionId) corrected"
        case .trainingSessionVoided(let e): "training \(e.sessionId) voided (\(e.reasonCode.rawValue))"
        case .parentProgramCohortCorrected(let e): "cohort \(e.cohortId) corrected"
        case .parentProgramCohortVoided(let e): "cohort \(e.cohortId) voided (\(e.reasonCode.rawValue))"
        case .operationCorrected(let e): "operation \(e.operationId) corrected"
        case .operationVoided(let e): "operation \(e.operationId) voided (\(e.reasonCode.rawValue))"
        case .checkpointSigned(let e): "checkpoint: position \(e.position) signed with key \(e.keyId)"
        case .legalHoldPlaced(let e): "legal hold \(e.holdId) placed on case \(e.caseId) (\(e.authority.rawValue))"
        case .legalHoldReleased(let e): "legal hold \(e.holdId) released"
        case .recoveryCorrected(let e): "recovery corrected (\(e.corrections.fieldNames.joined(separator: ", ")))"
        case .recoveryVoided(let e): "recovery voided (\(e.reasonCode.rawValue)): the case counts nowhere"
        case .placementCorrected(let e): "placement corrected to \(e.corrections.kind.rawValue)"
        case .placementVoided(let e): "placement voided (\(e.reasonCode.rawValue))"
        }
    }
}
