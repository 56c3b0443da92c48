/// Where a case stands in the First Responder Protocol.
///
/// The phases, in the order a case usually moves through them:
///
/// | Phase | The case… |
/// |---|---|
/// | ``notReported`` | does not exist yet: its stream is empty |
/// | ``intake`` | was reported (`RecoveryReported`); no responder is being sought |
/// | ``responding`` | has open requests for responders and nobody has reached the youth yet |
/// | ``onScene`` | a responder has reached the youth; the 72-hour protocol work has not started |
/// | ``inProtocol`` | services, a health evaluation or an MDT meeting have begun the 72-hour protocol |
/// | ``placed`` | a placement was decided |
/// | ``missing`` | the youth went missing from any of the open phases above |
/// | ``closed`` | was closed (`CaseClosed`) or deemed out of scope (`CaseDeemedOutOfScope`) |
/// | ``sealed`` | was closed and its record sealed (`RecordSealed`); terminal |
///
/// ``CaseLifecycle`` holds every transition between them.
public enum CasePhase: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// No event yet: only `RecoveryReported` can start the case.
    case notReported = "not-reported"
    /// Reported; no open request for a responder.
    case intake
    /// Responders are requested or on their way; none has reached the youth.
    case responding
    /// A responder has reached the youth; the protocol's services have not started.
    case onScene = "on-scene"
    /// The 72-hour protocol is under way (services, health evaluation, MDT meeting).
    case inProtocol = "in-protocol"
    /// Where the youth will stay has been decided.
    case placed
    /// The youth went missing; the case stays open.
    case missing
    /// Closed, or deemed out of scope; it can be reopened or sealed.
    case closed
    /// Closed and sealed by a court or the law; nothing follows but further `RecordSealed`s.
    case sealed

    /// Whether the case takes ordinary events: it was reported and is neither closed nor sealed.
    public var isOpen: Bool {
        switch self {
        case .notReported, .closed, .sealed: false
        case .intake, .responding, .onScene, .inProtocol, .placed, .missing: true
        }
    }

    /// The phase in a dispatcher's words: `on scene`, `in protocol`, …
    public var description: String {
        switch self {
        case .notReported: "not reported"
        case .intake: "intake"
        case .responding: "responding"
        case .onScene: "on scene"
        case .inProtocol: "in protocol"
        case .placed: "placed"
        case .missing: "missing"
        case .closed: "closed"
        case .sealed: "sealed"
        }
    }
}
