/// The case lifecycle: which events a case accepts in which state, and where each one takes it.
/// Every rule is in ``apply(_:_:)``; nothing else decides.
///
/// "Open" below means reported and neither closed nor sealed (``CasePhase/isOpen``); "present"
/// means open and the youth not missing. Counts are ``CaseState``'s: *awaiting* (requests with no
/// responder), *dispatched* (assigned responders who have not arrived), *on scene*.
///
/// | Event | Accepted when | Then |
/// |---|---|---|
/// | `RecoveryReported` | not reported | → intake |
/// | `HotlineReferralCreated`, `YouthIdentityLinked`, `SLABreached`, `TimerScheduled`, `TimerCancelled`, `TimerFired` | open | no change |
/// | `ProtocolWindowClosed` | open, not yet recorded | window closed |
/// | `ResponseRequested` | present | awaiting + 1; intake → responding |
/// | `RecommendationComputed` | present, awaiting > 0 | no change |
/// | `ResponderAssigned` | present, awaiting > 0 | awaiting − 1, dispatched + 1 |
/// | `NotificationSent`, `ResponderEnRoute` | present, dispatched > 0 | no change |
/// | `AssignmentAcknowledged`, `AssignmentDeclined`, `AckTimeoutElapsed` | open, dispatched > 0 | no change |
/// | `AssignmentEscalated` | open, dispatched > 0 | dispatched − 1, awaiting + 1 |
/// | `ResponderArrived` | present, dispatched > 0 | dispatched − 1, on scene + 1, arrived; responding → on scene |
/// | `ResponderCleared` | open, on scene > 0 | on scene − 1 |
/// | `ResponseCancelled` | open, awaiting + dispatched > 0 | awaiting − 1 (else dispatched − 1); responding → intake when none is left |
/// | `ServicesOffered`, `MedicalEvaluationCompleted`, `MedicalEvaluationDeclined` | present | protocol started; intake, responding, on scene → in protocol |
/// | `ServicesAccepted`, `ServicesDeclined` | present, services offered | no change |
/// | `MDTMeetingHeld` | open (the team may meet about a missing youth) | protocol started; intake, responding, on scene → in protocol |
/// | `PlacementDecided` | present | placement decided; → placed |
/// | `YouthWentMissing` | present | → missing |
/// | `YouthReturned` | missing | → the case's ``CaseState/progressPhase`` |
/// | `CaseClosed` | open, awaiting + dispatched = 0, on scene = 0 | → closed |
/// | `CaseDeemedOutOfScope` | open, awaiting + dispatched = 0, on scene = 0 | → closed (out of scope) |
/// | `CaseReopened` | closed | → the case's ``CaseState/progressPhase`` (intake, on scene, in protocol or placed) |
/// | `RecordSealed` | closed or sealed | → sealed (again: no change) |
/// | `RecoveryCorrected` | reported, open, closed or sealed, not voided | no change |
/// | `PlacementCorrected` | reported, not voided, a placement standing | no change |
/// | `PlacementVoided` | reported, not voided, a placement standing | placements − 1; placed → the case's ``CaseState/progressPhase`` when none is left |
/// | `RecoveryVoided` | closed or sealed, not voided | voided: nothing but `RecordSealed` follows |
///
/// Why these rules:
///
/// - **Nothing but `CaseReopened` or `RecordSealed` follows a closure**, so the command that closes
///   a case (or deems it out of scope) appends, in one append, `ResponseCancelled` for each open
///   request, `ResponderCleared` for each responder on scene and `TimerCancelled` (`case-closed`,
///   `case-out-of-scope`) for each pending timer, then the closure. A timer that fires for a closed
///   case is cancelled, not fired. A closed case therefore never has an active responder.
/// - **A missing youth cannot be reached**: no request, recommendation, assignment, notification,
///   en route, arrival, service, health evaluation or placement until `YouthReturned`. What winds
///   a response down stays possible: acknowledgements, declines, timeouts, escalations, clearing
///   the scene the youth left, cancelling requests, MDT meetings, timers and breaches. Clocks keep
///   running: a missing spell does not stop them.
/// - **Going missing, returning and reopening never lose progress**: a returning youth or a
///   reopened case resumes at the furthest phase its facts support (placed, in protocol, on scene,
///   responding, intake); a reopened case has no open request (closure needed none).
/// - **Sealing needs a closed case** and is final: the youth's personal data is destroyed
///   (``PersonalDataVault/seal(_:authorisedBy:legalBasis:at:)``), so the case cannot be reopened.
///   Sealing again (another scope, another case of the same youth) is accepted and changes nothing.
/// - A new contact with the youth is a new `RecoveryReported` in a new case, never a reopening.
/// - **Corrections reach closed and sealed cases** (a Board figure is corrected whenever the error is
///   found): `RecoveryCorrected`, `PlacementCorrected` and `PlacementVoided` change counted facts, not
///   the case's work. **A recovery is voided only once its case is closed** — the closure has wound
///   it down — and a voided case takes nothing but `RecordSealed` (its youth's data may still have
///   to be destroyed).
public enum CaseLifecycle {
    /// The events that reach closed and sealed cases besides reopening and sealing: corrections.
    /// (Made once: a set literal inside ``apply(_:_:)`` was built on every event of every replay.)
    private static let corrections: Set<CaseEventKind> = [
        .recoveryCorrected, .placementCorrected, .placementVoided, .recoveryVoided,
    ]

    /// Applies `event` to a case in `state`: the state after it, or the rule it breaks.
    ///
    /// Pure: the same state and event always give the same answer, so folding a case's stream
    /// replays exactly.
    public static func apply(_ state: CaseState, _ event: CaseEventKind) -> Result<CaseState, LifecycleViolation> {
        func refuse(_ rule: LifecycleViolation.Rule) -> Result<CaseState, LifecycleViolation> {
            .failure(LifecycleViolation(rule: rule, event: event, phase: state.phase))
        }

        // Outside the open phases, almost nothing is possible.
        switch state.phase {
        case .notReported where event != .recoveryReported:
            return refuse(.caseNotReported)
        case _ where state.recoveryVoided && event != .recordSealed:
            return refuse(.recoveryVoided)
        case .closed where event != .caseReopened && event != .recordSealed && !corrections.contains(event):
            return refuse(.caseClosed)
        case .sealed where event != .recordSealed && !corrections.contains(event):
            return refuse(.recordSealed)
        default:
            break
        }

        let missing = state.phase == .missing
        var next = state
        switch event {
        case .recoveryReported:
            guard state.phase == .notReported else { return refuse(.alreadyReported) }
            next.phase = .intake

        case .hotlineReferralCreated, .youthIdentityLinked, .slaBreached, .timerScheduled, .timerCancelled,
            .timerFired:
            break

        case .protocolWindowClosed:
            guard !state.protocolWindowClosed else { return refuse(.protocolWindowAlreadyClosed) }
            next.protocolWindowClosed = true

        // Dispatch
        case .responseRequested:
            guard !missing else { return refuse(.youthMissing) }
            next.requestsAwaitingResponder += 1
            if state.phase == .intake { next.phase = .responding }

        case .recommendationComputed:
            guard !missing else { return refuse(.youthMissing) }
            guard state.requestsAwaitingResponder > 0 else { return refuse(.noRequestAwaitingResponder) }

        case .responderAssigned:
            guard !missing else { return refuse(.youthMissing) }
            guard state.requestsAwaitingResponder > 0 else { return refuse(.noRequestAwaitingResponder) }
            next.requestsAwaitingResponder -= 1
            next.respondersDispatched += 1

        case .notificationSent, .responderEnRoute:
            guard !missing else { return refuse(.youthMissing) }
            guard state.respondersDispatched > 0 else { return refuse(.noResponderAssigned) }

        case .assignmentAcknowledged, .assignmentDeclined, .ackTimeoutElapsed:
            guard state.respondersDispatched > 0 else { return refuse(.noResponderAssigned) }

        case .assignmentEscalated:
            guard state.respondersDispatched > 0 else { return refuse(.noResponderAssigned) }
            next.respondersDispatched -= 1
            next.requestsAwaitingResponder += 1

        case .responderArrived:
            guard !missing else { return refuse(.youthMissing) }
            guard state.respondersDispatched > 0 else { return refuse(.arrivalBeforeDispatch) }
            next.respondersDispatched -= 1
            next.respondersOnScene += 1
            next.responderHasArrived = true
            if state.phase == .responding { next.phase = .onScene }

        case .responderCleared:
            guard state.respondersOnScene > 0 else { return refuse(.clearBeforeArrival) }
            next.respondersOnScene -= 1

        case .responseCancelled:
            guard state.openRequests > 0 else { return refuse(.noOpenRequest) }
            if state.requestsAwaitingResponder > 0 {
                next.requestsAwaitingResponder -= 1
            } else {
                next.respondersDispatched -= 1
            }
            if state.phase == .responding && next.openRequests == 0 { next.phase = .intake }

        // 72 hours
        case .servicesOffered, .medicalEvaluationCompleted, .medicalEvaluationDeclined:
            guard !missing else { return refuse(.youthMissing) }
            next.protocolStarted = true
            if event == .servicesOffered { next.servicesOffered = true }
            if state.phase != .placed { next.phase = .inProtocol }

        case .servicesAccepted, .servicesDeclined:
            guard !missing else { return refuse(.youthMissing) }
            guard state.servicesOffered else { return refuse(.servicesNotOffered) }

        case .mdtMeetingHeld:
            next.protocolStarted = true
            if !missing && state.phase != .placed { next.phase = .inProtocol }

        case .placementDecided:
            guard !missing else { return refuse(.youthMissing) }
            next.protocolStarted = true
            next.placements += 1
            next.phase = .placed

        case .placementCorrected:
            guard state.placementDecided else { return refuse(.noPlacement) }

        case .placementVoided:
            guard state.placementDecided else { return refuse(.noPlacement) }
            next.placements -= 1
            if state.phase == .placed { next.phase = next.progressPhase }

        case .recoveryCorrected:
            break

        case .youthWentMissing:
            guard !missing else { return refuse(.youthAlreadyMissing) }
            next.phase = .missing

        case .youthReturned:
            guard missing else { return refuse(.youthNotMissing) }
            next.phase = state.progressPhase

        // Closure
        case .caseClosed, .caseDeemedOutOfScope:
            guard state.respondersOnScene == 0 else { return refuse(.respondersStillOnScene) }
            guard state.openRequests == 0 else { return refuse(.requestsStillOpen) }
            next.phase = .closed
            next.closure = event == .caseClosed ? .closed : .outOfScope

        case .caseReopened:
            guard state.phase == .closed else { return refuse(.caseNotClosed) }
            next.closure = nil
            next.phase = state.progressPhase

        case .recordSealed:
            guard state.phase == .closed || state.phase == .sealed else { return refuse(.caseStillOpen) }
            next.phase = .sealed

        case .recoveryVoided:
            guard state.phase == .closed || state.phase == .sealed else { return refuse(.caseNotClosedForVoid) }
            next.recoveryVoided = true
        }
        return .success(next)
    }
}
