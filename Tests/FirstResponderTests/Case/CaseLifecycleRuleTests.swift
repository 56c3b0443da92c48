import FirstResponder
import Testing

/// The state after `events`, each of which must be accepted.
private func after(_ events: [CaseEventKind], sourceLocation: SourceLocation = #_sourceLocation) throws -> CaseState {
    let fold = CaseLifecycle.fold(events)
    try #require(fold.rejected.isEmpty, "\(fold.rejected)", sourceLocation: sourceLocation)
    return fold.state
}

/// A refused event: the history before it, the event, and the rule it must break.
struct RuleExample: Sendable, CustomTestStringConvertible {
    let history: [CaseEventKind]
    let event: CaseEventKind
    let rule: LifecycleViolation.Rule
    var testDescription: String { "\(rule.name): \(event) after \(history.map(\.eventType))" }

    init(_ history: [CaseEventKind], _ event: CaseEventKind, _ rule: LifecycleViolation.Rule) {
        self.history = history
        self.event = event
        self.rule = rule
    }
}

private let reported: [CaseEventKind] = [.recoveryReported]
private let requested: [CaseEventKind] = reported + [.responseRequested]
private let dispatched: [CaseEventKind] = requested + [.responderAssigned]
private let onScene: [CaseEventKind] = dispatched + [.responderArrived]

@Suite("Case lifecycle: rules")
struct CaseLifecycleRuleTests {
    static let examples: [RuleExample] = [
        RuleExample([], .responseRequested, .caseNotReported),
        RuleExample([], .caseClosed, .caseNotReported),
        RuleExample(reported, .recoveryReported, .alreadyReported),
        RuleExample(reported + [.caseClosed], .responseRequested, .caseClosed),
        RuleExample(reported + [.caseClosed], .youthWentMissing, .caseClosed),
        RuleExample(reported + [.caseClosed], .timerFired, .caseClosed),
        RuleExample(reported + [.caseDeemedOutOfScope], .caseClosed, .caseClosed),
        RuleExample(reported + [.caseClosed, .recordSealed], .caseReopened, .recordSealed),
        RuleExample(reported + [.caseClosed, .recordSealed], .responseRequested, .recordSealed),
        RuleExample(reported, .caseReopened, .caseNotClosed),
        RuleExample(reported, .recordSealed, .caseStillOpen),
        RuleExample(reported + [.youthWentMissing], .recordSealed, .caseStillOpen),
        RuleExample(reported + [.youthWentMissing], .responseRequested, .youthMissing),
        RuleExample(dispatched + [.youthWentMissing], .responderArrived, .youthMissing),
        RuleExample(dispatched + [.youthWentMissing], .responderEnRoute, .youthMissing),
        RuleExample(reported + [.youthWentMissing], .placementDecided, .youthMissing),
        RuleExample(reported + [.servicesOffered, .youthWentMissing], .servicesAccepted, .youthMissing),
        RuleExample(reported + [.youthWentMissing], .youthWentMissing, .youthAlreadyMissing),
        RuleExample(reported, .youthReturned, .youthNotMissing),
        RuleExample(reported, .responderAssigned, .noRequestAwaitingResponder),
        RuleExample(reported, .recommendationComputed, .noRequestAwaitingResponder),
        RuleExample(dispatched, .responderAssigned, .noRequestAwaitingResponder),
        RuleExample(requested, .notificationSent, .noResponderAssigned),
        RuleExample(requested, .assignmentAcknowledged, .noResponderAssigned),
        RuleExample(requested, .ackTimeoutElapsed, .noResponderAssigned),
        RuleExample(requested, .assignmentEscalated, .noResponderAssigned),
        RuleExample(requested, .responderEnRoute, .noResponderAssigned),
        RuleExample(requested, .responderArrived, .arrivalBeforeDispatch),
        RuleExample(onScene, .responderArrived, .arrivalBeforeDispatch),
        RuleExample(dispatched, .responderCleared, .clearBeforeArrival),
        RuleExample(onScene + [.responderCleared], .responderCleared, .clearBeforeArrival),
        RuleExample(reported, .responseCancelled, .noOpenRequest),
        RuleExample(onScene, .responseCancelled, .noOpenRequest),
        RuleExample(reported, .servicesAccepted, .servicesNotOffered),
        RuleExample(reported + [.medicalEvaluationCompleted], .servicesDeclined, .servicesNotOffered),
        RuleExample(reported + [.protocolWindowClosed], .protocolWindowClosed, .protocolWindowAlreadyClosed),
        RuleExample(requested, .caseClosed, .requestsStillOpen),
        RuleExample(dispatched, .caseDeemedOutOfScope, .requestsStillOpen),
        RuleExample(onScene, .caseClosed, .respondersStillOnScene),
        RuleExample(onScene + [.youthWentMissing], .caseClosed, .respondersStillOnScene),
    ]

    @Test("each named rule refuses its event and leaves the state alone", arguments: examples)
    func refuses(_ example: RuleExample) throws {
        let state = try after(example.history)
        let result = CaseLifecycle.apply(state, example.event)
        guard case .failure(let violation) = result else {
            Issue.record("accepted: \(example.testDescription)")
            return
        }
        #expect(violation.rule == example.rule)
        #expect(violation.event == example.event && violation.phase == state.phase)
        var fold = CaseLifecycle.Fold(from: state)
        fold.apply(example.event)
        #expect(fold.state == state && fold.rejected.count == 1)
    }

    @Test("violations speak a dispatcher's language")
    func messages() throws {
        let state = try after(requested)
        let violation = try #require(CaseLifecycle.apply(state, .responderArrived).failure)
        #expect(violation.rule.name == "arrival before dispatch")
        #expect(
            violation.message
                == "ResponderArrived refused (case responding): arrival before dispatch: "
                + "ResponderArrived needs an assigned responder first")
        let closed = try after(reported + [.caseClosed])
        #expect(CaseLifecycle.apply(closed, .responseRequested).failure?.rule.name == "case is closed")
        let missing = try after(reported + [.youthWentMissing])
        #expect(CaseLifecycle.apply(missing, .youthWentMissing).failure?.rule.name == "youth is already missing")
        #expect(CaseLifecycle.apply(state, .responderCleared).failure?.rule.name == "clear before arrival")
    }

    @Test("the catalog's typical dispatch, from report to reopening")
    func typicalDispatch() throws {
        // The story the valid examples tell for C-2026A00017 (docs/EVENTS.md), in occurredAt order,
        // with the DCFS worker's clearing added: a case closes only when nobody is left on scene.
        let story: [(CaseEventKind, CasePhase)] = [
            (.recoveryReported, .intake), (.timerScheduled, .intake), (.hotlineReferralCreated, .intake),
            (.responseRequested, .responding), (.responseRequested, .responding),
            (.recommendationComputed, .responding), (.responderAssigned, .responding),
            (.notificationSent, .responding), (.timerScheduled, .responding), (.responderAssigned, .responding),
            (.timerFired, .responding), (.ackTimeoutElapsed, .responding), (.assignmentEscalated, .responding),
            (.responderAssigned, .responding), (.assignmentAcknowledged, .responding),
            (.timerCancelled, .responding), (.responderEnRoute, .responding), (.responderArrived, .onScene),
            (.slaBreached, .onScene), (.responderArrived, .onScene), (.servicesOffered, .inProtocol),
            (.servicesAccepted, .inProtocol), (.servicesDeclined, .inProtocol),
            (.medicalEvaluationDeclined, .inProtocol), (.responderCleared, .inProtocol),
            (.responderCleared, .inProtocol), (.placementDecided, .placed), (.mdtMeetingHeld, .placed),
            (.timerFired, .placed), (.protocolWindowClosed, .placed), (.caseClosed, .closed),
            (.caseReopened, .placed),
        ]
        var state = CaseState.notReported
        for (event, phase) in story {
            state = try CaseLifecycle.apply(state, event).get()
            #expect(state.phase == phase, "after \(event)")
        }
        #expect(state.closure == nil && state.activeResponders == 0 && state.protocolWindowClosed)
    }

    @Test("a request cancelled before anyone arrives takes the case back to intake")
    func cancelBackToIntake() throws {
        #expect(try after(requested + [.responseCancelled]).phase == .intake)
        let two = try after(requested + [.responseRequested, .responderAssigned, .responseCancelled])
        #expect(two.phase == .responding && two.requestsAwaitingResponder == 0 && two.respondersDispatched == 1)
        #expect(try after(onScene + [.responseRequested, .responseCancelled]).phase == .onScene)
    }

    @Test("escalation puts the request back in line for a responder")
    func escalation() throws {
        let state = try after(
            dispatched + [
                .notificationSent, .ackTimeoutElapsed, .assignmentEscalated, .recommendationComputed,
                .responderAssigned, .assignmentAcknowledged, .responderEnRoute, .responderArrived,
            ])
        #expect(state.phase == .onScene && state.respondersOnScene == 1 && state.openRequests == 0)
    }

    @Test("a missing spell winds the response down and resumes where the case was")
    func missingSpell() throws {
        let missing = try after(onScene + [.responseRequested, .responderAssigned, .youthWentMissing])
        #expect(missing.phase == .missing && missing.closure == nil)
        let wound = try after(
            onScene + [
                .responseRequested, .responderAssigned, .youthWentMissing, .responderCleared, .responseCancelled,
                .mdtMeetingHeld, .slaBreached, .timerFired,
            ])
        #expect(wound.phase == .missing && wound.activeResponders == 0 && wound.protocolStarted)
        #expect(try CaseLifecycle.apply(wound, .youthReturned).get().phase == .inProtocol)
        #expect(try after(requested + [.youthWentMissing, .youthReturned]).phase == .responding)
        #expect(try after(requested + [.youthWentMissing, .responseCancelled, .youthReturned]).phase == .intake)
        #expect(try after(reported + [.placementDecided, .youthWentMissing, .caseClosed]).phase == .closed)
    }

    @Test("out of scope closes the case; reopening resumes at its progress")
    func outOfScopeAndReopening() throws {
        let out = try after(reported + [.caseDeemedOutOfScope])
        #expect(out.phase == .closed && out.closure == .outOfScope)
        let reopened = try CaseLifecycle.apply(out, .caseReopened).get()
        #expect(reopened.phase == .intake && reopened.closure == nil)
        let cleared = onScene + [.responderCleared, .caseClosed, .caseReopened]
        #expect(try after(cleared).phase == .onScene)
        #expect(try after(reported + [.servicesOffered, .caseClosed]).closure == .closed)
    }

    @Test("sealing needs a closed case and may be repeated")
    func sealing() throws {
        let sealed = try after(reported + [.caseClosed, .recordSealed, .recordSealed])
        #expect(sealed.phase == .sealed && sealed.closure == .closed)
    }

    @Test("event kinds map to and from the catalog's type names")
    func eventTypes() {
        for kind in CaseEventKind.allCases {
            #expect(CaseEventKind(eventType: kind.eventType) == kind)
        }
        #expect(CaseEventKind(eventType: "ShiftScheduled") == nil)
        #expect(CaseEventKind(eventType: "responderArrived") == nil)
        #expect(CaseEventKind.allCases.count == 37)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
