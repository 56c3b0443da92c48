import FirstResponder
import PropertyBased

/// Event kinds to draw stories from, weighted towards what moves a case (dispatch, closure,
/// missing spells) so random stories reach every phase. Shrinking moves towards the front.
let lifecyclePool: [CaseEventKind] =
    CaseEventKind.allCases
    + [
        .responseRequested, .responseRequested, .responderAssigned, .responderAssigned, .responderAssigned,
        .responderArrived, .responderArrived, .responderCleared, .responderCleared, .responderCleared,
        .responseCancelled, .responseCancelled, .assignmentEscalated, .caseClosed, .caseClosed, .caseReopened,
        .recordSealed, .youthWentMissing, .youthReturned, .servicesOffered, .placementDecided,
    ]

/// Random stories: usually opened by RecoveryReported, then up to 60 events of any kind.
let lifecycleStories = zip(
    Gen.bool(0.9),
    Gen.int(in: 0...(lifecyclePool.count - 1)).map { lifecyclePool[$0] }.array(of: 0...60)
).map { (reported: Bool, events: [CaseEventKind]) in reported ? [.recoveryReported] + events : events }

/// The phase graph, stated independently of ``CaseLifecycle``: every (from, to) a single accepted
/// event may take a case along, besides staying put.
let allowedPhaseMoves: Set<[CasePhase]> = {
    let present: [CasePhase] = [.intake, .responding, .onScene, .inProtocol, .placed]
    var moves: Set<[CasePhase]> = [
        [.notReported, .intake], [.intake, .responding], [.responding, .intake], [.responding, .onScene],
        [.closed, .sealed],
    ]
    for from in [CasePhase.intake, .responding, .onScene] { moves.insert([from, .inProtocol]) }
    for from in present where from != .placed { moves.insert([from, .placed]) }
    for phase in present {
        moves.insert([phase, .missing])
        moves.insert([.missing, phase])
        moves.insert([phase, .closed])
        if phase != .responding { moves.insert([.closed, phase]) }
    }
    moves.insert([.missing, .closed])
    // PlacementVoided takes back the only placement: the case is in protocol again.
    moves.insert([.placed, .inProtocol])
    return moves
}()

/// What must hold of every state the lifecycle reaches; empty when all is well.
func invariantProblems(_ s: CaseState) -> [String] {
    var problems: [String] = []
    func check(_ condition: Bool, _ problem: String) { if !condition { problems.append(problem) } }
    check(s.requestsAwaitingResponder >= 0 && s.respondersDispatched >= 0 && s.respondersOnScene >= 0, "negative count")
    check(!s.servicesOffered || s.protocolStarted, "services offered without the protocol started")
    check(!s.placementDecided || s.protocolStarted, "placement without the protocol started")
    switch s.phase {
    case .notReported:
        check(s == .notReported, "a case with no report has facts")
    case .closed, .sealed:
        check(s.closure != nil, "closed without a closure")
        check(s.activeResponders == 0, "closed with \(s.activeResponders) active responders")
        check(s.openRequests == 0, "closed with \(s.openRequests) open requests")
    case .missing:
        check(s.closure == nil, "missing in a closed case")
    case .intake, .responding, .onScene, .inProtocol, .placed:
        check(s.closure == nil, "open with a closure")
        check(s.phase == s.progressPhase, "phase \(s.phase) but its facts say \(s.progressPhase)")
    }
    if s.phase == .responding { check(s.openRequests > 0, "responding with no open request") }
    if s.phase == .onScene { check(s.responderHasArrived, "on scene but nobody ever arrived") }
    return problems
}
