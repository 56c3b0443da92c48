/// The event types that live in a case's stream (`case-<caseId>`), by the catalog's type names
/// (docs/EVENTS.md). The raw value is the type name as stored in the log.
///
/// ``CaseLifecycle`` decides which of them a case in a given ``CaseState`` accepts. The kind carries
/// no payload: checks that need ids (this `requestId` was assigned to this responder) belong to the
/// command layer, which has them.
public enum CaseEventKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    // Intake
    /// `RecoveryReported`: a law-enforcement contact with the youth; opens the case.
    case recoveryReported = "RecoveryReported"
    /// `YouthIdentityLinked`: the youth is the same person as an earlier youthRef.
    case youthIdentityLinked = "YouthIdentityLinked"
    /// `HotlineReferralCreated`: the DCFS hotline created a referral.
    case hotlineReferralCreated = "HotlineReferralCreated"
    /// `CaseDeemedOutOfScope`: not a protocol case; closes it.
    case caseDeemedOutOfScope = "CaseDeemedOutOfScope"
    /// `RecoveryCorrected`: counted fields of the recovery were wrong.
    case recoveryCorrected = "RecoveryCorrected"

    // Dispatch
    /// `ResponseRequested`: a responder of one role is needed on scene.
    case responseRequested = "ResponseRequested"
    /// `RecommendationComputed`: the policy ranked responders for a waiting request.
    case recommendationComputed = "RecommendationComputed"
    /// `ResponderAssigned`: a responder was put on a waiting request.
    case responderAssigned = "ResponderAssigned"
    /// `NotificationSent`: the assigned responder was notified.
    case notificationSent = "NotificationSent"
    /// `AssignmentAcknowledged`: the assigned responder accepted.
    case assignmentAcknowledged = "AssignmentAcknowledged"
    /// `AssignmentDeclined`: the assigned responder declined.
    case assignmentDeclined = "AssignmentDeclined"
    /// `AckTimeoutElapsed`: the assigned responder did not acknowledge in time.
    case ackTimeoutElapsed = "AckTimeoutElapsed"
    /// `AssignmentEscalated`: the request moved on from its responder and waits for another.
    case assignmentEscalated = "AssignmentEscalated"
    /// `ResponderEnRoute`: the assigned responder is on the way.
    case responderEnRoute = "ResponderEnRoute"
    /// `ResponderArrived`: the responder is with the youth, face to face.
    case responderArrived = "ResponderArrived"
    /// `ResponderCleared`: the responder left the scene.
    case responderCleared = "ResponderCleared"
    /// `ResponseCancelled`: a request was withdrawn before anyone arrived.
    case responseCancelled = "ResponseCancelled"
    /// `SLABreached`: a service-level clock passed its threshold.
    case slaBreached = "SLABreached"

    // 72 hours
    /// `ServicesOffered`: specialised services were offered to the youth.
    case servicesOffered = "ServicesOffered"
    /// `ServicesAccepted`: the youth accepted some of the offered services.
    case servicesAccepted = "ServicesAccepted"
    /// `ServicesDeclined`: the youth declined some of the offered services.
    case servicesDeclined = "ServicesDeclined"
    /// `MedicalEvaluationCompleted`: a health evaluation was done.
    case medicalEvaluationCompleted = "MedicalEvaluationCompleted"
    /// `MedicalEvaluationDeclined`: the health evaluation was declined.
    case medicalEvaluationDeclined = "MedicalEvaluationDeclined"
    /// `PlacementDecided`: where the youth will stay was decided.
    case placementDecided = "PlacementDecided"
    /// `PlacementCorrected`: the latest placement decision's kind was wrong.
    case placementCorrected = "PlacementCorrected"
    /// `PlacementVoided`: the latest placement decision was recorded in error.
    case placementVoided = "PlacementVoided"
    /// `MDTMeetingHeld`: a multidisciplinary team met about the youth.
    case mdtMeetingHeld = "MDTMeetingHeld"
    /// `YouthWentMissing`: the youth left and cannot be found.
    case youthWentMissing = "YouthWentMissing"
    /// `YouthReturned`: the youth is back.
    case youthReturned = "YouthReturned"
    /// `ProtocolWindowClosed`: the 72-hour window ended.
    case protocolWindowClosed = "ProtocolWindowClosed"

    // Closure
    /// `CaseClosed`: the case was closed.
    case caseClosed = "CaseClosed"
    /// `CaseReopened`: a closed case was reopened.
    case caseReopened = "CaseReopened"
    /// `RecordSealed`: a court or the law ordered the record sealed.
    case recordSealed = "RecordSealed"
    /// `RecoveryVoided`: the recovery was reported in error; the case counts nowhere.
    case recoveryVoided = "RecoveryVoided"

    // Timers (in the case's stream when they belong to a case)
    /// `TimerScheduled`: a durable timer was set.
    case timerScheduled = "TimerScheduled"
    /// `TimerCancelled`: a timer was cancelled before it fired.
    case timerCancelled = "TimerCancelled"
    /// `TimerFired`: a timer reached its due time.
    case timerFired = "TimerFired"

    /// The kind of a stored event's type name, or `nil` when the type does not belong in a case's
    /// stream (e.g. `ShiftScheduled`) or is unknown.
    public init?(eventType: String) {
        self.init(rawValue: eventType)
    }

    /// The catalog's type name, e.g. `ResponderArrived`.
    public var eventType: String { rawValue }

    public var description: String { rawValue }
}
