/// What the case lifecycle knows about one case: its ``CasePhase`` and the few facts its rules need.
///
/// It counts, it does not identify: "some responder is assigned and has not arrived" is a count
/// here; which responder on which request is the command layer's to check against the ids. The
/// counts follow each open request through dispatch:
///
/// ```
/// ResponseRequested ──▶ awaiting a responder ──ResponderAssigned──▶ dispatched ──ResponderArrived──▶ on scene
///                            ▲                                            │                              │
///                            └──────────── AssignmentEscalated ───────────┘                   ResponderCleared
/// ResponseCancelled removes a request that is awaiting a responder or dispatched.
/// ```
///
/// Only ``CaseLifecycle/apply(_:_:)`` changes a state, so every state is one the lifecycle reached.
public struct CaseState: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How a case left the open phases.
    public enum Closure: String, Sendable, Hashable, Codable, CaseIterable {
        /// `CaseClosed`: the protocol ended for this case.
        case closed
        /// `CaseDeemedOutOfScope`: not a First Responder Protocol case.
        case outOfScope = "out-of-scope"
    }

    /// The phase.
    public internal(set) var phase: CasePhase
    /// How the case was closed, while it is ``CasePhase/closed`` or ``CasePhase/sealed``.
    public internal(set) var closure: Closure?
    /// Open requests with no responder on them (requested, or escalated away from one).
    public internal(set) var requestsAwaitingResponder: Int
    /// Responders assigned to an open request who have not arrived (notified, acknowledged, en route).
    public internal(set) var respondersDispatched: Int
    /// Responders who arrived and have not cleared.
    public internal(set) var respondersOnScene: Int
    /// Whether any responder has ever reached the youth in this case.
    public internal(set) var responderHasArrived: Bool
    /// Whether the 72-hour protocol work began (services, health evaluation, MDT meeting, placement).
    public internal(set) var protocolStarted: Bool
    /// Whether services were offered (so they can be accepted or declined).
    public internal(set) var servicesOffered: Bool
    /// Placement decisions standing: decided and not voided (`PlacementVoided` takes back the latest).
    public internal(set) var placements: Int
    /// Whether the recovery was voided (`RecoveryVoided`): the case counts nowhere and takes nothing
    /// but `RecordSealed`.
    public internal(set) var recoveryVoided: Bool
    /// Whether `ProtocolWindowClosed` was recorded (it is recorded once).
    public internal(set) var protocolWindowClosed: Bool

    /// The state of a case with no events.
    public static let notReported = CaseState()

    private init() {
        phase = .notReported
        closure = nil
        requestsAwaitingResponder = 0
        respondersDispatched = 0
        respondersOnScene = 0
        responderHasArrived = false
        protocolStarted = false
        servicesOffered = false
        placements = 0
        recoveryVoided = false
        protocolWindowClosed = false
    }

    /// Whether a placement decision stands.
    public var placementDecided: Bool { placements > 0 }

    /// Requests no responder has reached yet: awaiting one, or with one dispatched.
    public var openRequests: Int { requestsAwaitingResponder + respondersDispatched }

    /// Responders still busy with the case: dispatched or on scene.
    public var activeResponders: Int { respondersDispatched + respondersOnScene }

    /// The open phase the case's facts put it in, the youth being present: the furthest the case
    /// has come. ``CaseLifecycle`` moves a case here when the youth returns and when it is reopened,
    /// and every open phase but ``CasePhase/missing`` equals it.
    public var progressPhase: CasePhase {
        if placementDecided { return .placed }
        if protocolStarted { return .inProtocol }
        if responderHasArrived { return .onScene }
        if openRequests > 0 { return .responding }
        return .intake
    }

    public var description: String {
        var facts = [phase.description]
        if let closure { facts.append("closure \(closure.rawValue)") }
        if requestsAwaitingResponder > 0 { facts.append("\(requestsAwaitingResponder) awaiting a responder") }
        if respondersDispatched > 0 { facts.append("\(respondersDispatched) dispatched") }
        if respondersOnScene > 0 { facts.append("\(respondersOnScene) on scene") }
        if responderHasArrived { facts.append("arrived") }
        if protocolStarted { facts.append("protocol started") }
        if servicesOffered { facts.append("services offered") }
        if placementDecided { facts.append("placement decided") }
        if protocolWindowClosed { facts.append("72-hour window closed") }
        if recoveryVoided { facts.append("recovery voided") }
        return facts.joined(separator: ", ")
    }
}
