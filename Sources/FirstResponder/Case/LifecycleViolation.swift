/// An event the case lifecycle refuses: the rule it breaks, in a dispatcher's words, the event and
/// the phase the case was in.
///
/// ```swift
/// switch CaseLifecycle.apply(state, .responderArrived) {
/// case .success(let next): state = next
/// case .failure(let violation) where violation.rule == .arrivalBeforeDispatch: …
/// case .failure(let violation): print(violation)  // "ResponderArrived refused (case responding): arrival before dispatch: …"
/// }
/// ```
public struct LifecycleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// A lifecycle rule. ``name`` is the short form a dispatcher reads on the board; ``explanation``
    /// says what would make the event acceptable.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        /// The rule in a few words, e.g. `arrival before dispatch`.
        public let name: String
        /// What the rule requires, e.g. `ResponderArrived needs an assigned responder first`.
        public let explanation: String

        private init(_ name: String, _ explanation: String) {
            self.name = name
            self.explanation = explanation
        }

        public var description: String { name }

        /// Only `RecoveryReported` can start a case.
        public static let caseNotReported = Rule(
            "case not reported", "the case has no RecoveryReported yet, and it must come first")
        /// `RecoveryReported` opens a case once.
        public static let alreadyReported = Rule(
            "case already reported", "RecoveryReported opens a case once; a new contact with the youth is a new case")
        /// A closed case takes only `CaseReopened` or `RecordSealed`.
        public static let caseClosed = Rule(
            "case is closed", "only CaseReopened or RecordSealed may follow; reopen the case first")
        /// A sealed case takes nothing but another `RecordSealed`.
        public static let recordSealed = Rule(
            "record is sealed", "a sealed case cannot be reopened or changed")
        /// `CaseReopened` needs a closed case.
        public static let caseNotClosed = Rule("case is not closed", "only a closed case can be reopened")
        /// A record under a standing legal hold (`LegalHoldPlaced`, not released) is not sealed.
        public static let underLegalHold = Rule(
            "record under legal hold",
            "a record held for a court, litigation, an investigation, a records request or an audit is not sealed until the hold is released (release-legal-hold)"
        )
        /// `RecordSealed` needs a closed case.
        public static let caseStillOpen = Rule(
            "case is still open", "a record can be sealed only after the case is closed")
        /// Nobody can be sent to, or reach, a youth who is missing.
        public static let youthMissing = Rule(
            "youth is missing",
            "nobody can be sent to or reach the youth until YouthReturned; cancel or escalate the open requests")
        /// `YouthWentMissing` while the youth is missing.
        public static let youthAlreadyMissing = Rule(
            "youth is already missing", "record YouthReturned before another YouthWentMissing")
        /// `YouthReturned` needs a missing youth.
        public static let youthNotMissing = Rule(
            "youth is not missing", "YouthReturned needs a YouthWentMissing first")
        /// Recommending or assigning needs a request without a responder.
        public static let noRequestAwaitingResponder = Rule(
            "no request awaiting a responder",
            "recommendations and assignments need a ResponseRequested (or an escalation) with no responder on it")
        /// Notifying, acknowledging, declining, timing out, escalating or going en route needs an
        /// assigned responder.
        public static let noResponderAssigned = Rule(
            "no responder assigned", "this needs a ResponderAssigned on an open request first")
        /// `ResponderArrived` needs an assigned responder.
        public static let arrivalBeforeDispatch = Rule(
            "arrival before dispatch", "ResponderArrived needs an assigned responder first")
        /// `ResponderCleared` needs a responder on scene.
        public static let clearBeforeArrival = Rule(
            "clear before arrival", "ResponderCleared needs a responder on scene (ResponderArrived) first")
        /// `ResponseCancelled` needs a request nobody has reached.
        public static let noOpenRequest = Rule(
            "no open request", "ResponseCancelled needs a request that nobody has reached yet")
        /// `ServicesAccepted` and `ServicesDeclined` need `ServicesOffered`.
        public static let servicesNotOffered = Rule(
            "services not offered", "services can be accepted or declined only after ServicesOffered")
        /// `ProtocolWindowClosed` is recorded once.
        public static let protocolWindowAlreadyClosed = Rule(
            "72-hour window already closed", "ProtocolWindowClosed is recorded once per case")
        /// Closing needs every open request cancelled or reached.
        public static let requestsStillOpen = Rule(
            "requests still open",
            "cancel the open requests (ResponseCancelled) before closing the case or deeming it out of scope")
        /// A voided recovery takes nothing but `RecordSealed`.
        public static let recoveryVoided = Rule(
            "recovery voided", "the recovery was voided: its case takes nothing but RecordSealed")
        /// Voiding a recovery needs a closed case.
        public static let caseNotClosedForVoid = Rule(
            "void needs a closed case",
            "a recovery is voided only in a closed case: close it (CaseClosed) or deem it out of scope first")
        /// Correcting or voiding a placement needs a placement decision standing.
        public static let noPlacement = Rule(
            "no placement", "the case has no placement decision standing (PlacementDecided, not voided)")
        /// Closing needs every responder cleared.
        public static let respondersStillOnScene = Rule(
            "responders still on scene",
            "clear the responders on scene (ResponderCleared) before closing the case or deeming it out of scope")
    }

    /// The rule the event breaks.
    public let rule: Rule
    /// The refused event.
    public let event: CaseEventKind
    /// The phase the case was in.
    public let phase: CasePhase

    /// A violation.
    public init(rule: Rule, event: CaseEventKind, phase: CasePhase) {
        self.rule = rule
        self.event = event
        self.phase = phase
    }

    /// For a person: `ResponderArrived refused (case responding): arrival before dispatch: ResponderArrived needs …`.
    public var message: String { "\(event) refused (case \(phase)): \(rule.name): \(rule.explanation)" }

    public var description: String { message }
}
