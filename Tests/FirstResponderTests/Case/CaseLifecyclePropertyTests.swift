import FirstResponder
import PropertyBased
import Testing

@Suite("Case lifecycle: properties")
struct CaseLifecyclePropertyTests {
    @Test("every reached state keeps the invariants, and every move is on the phase graph")
    func invariantsHold() async {
        await propertyCheck(count: 400, input: lifecycleStories) { story in
            var state = CaseState.notReported
            for event in story {
                guard case .success(let next) = CaseLifecycle.apply(state, event) else { continue }
                #expect(invariantProblems(next).isEmpty, "\(invariantProblems(next)) after \(event) from \(state)")
                if next.phase != state.phase {
                    #expect(
                        allowedPhaseMoves.contains([state.phase, next.phase]),
                        "\(state.phase) → \(next.phase) by \(event)")
                }
                if next.phase == .missing && state.phase != .missing {
                    #expect(event == .youthWentMissing && state.phase.isOpen)
                }
                state = next
            }
        }
    }

    @Test("no event is lost: accepted + rejected = input, in order")
    func nothingLost() async {
        await propertyCheck(count: 400, input: lifecycleStories) { story in
            let fold = CaseLifecycle.fold(story)
            #expect(fold.accepted.count + fold.rejected.count == story.count)
            #expect(fold.count == story.count)
            let rejectedOffsets = Set(fold.rejected.map(\.offset))
            #expect(rejectedOffsets.count == fold.rejected.count)
            let kept = story.indices.filter { !rejectedOffsets.contains($0) }.map { story[$0] }
            #expect(kept == fold.accepted)
            for rejection in fold.rejected {
                #expect(rejection.violation.event == story[rejection.offset])
            }
        }
    }

    @Test("replaying the accepted events accepts them all and ends in the same state")
    func replayIsDeterministic() async {
        await propertyCheck(count: 400, input: lifecycleStories) { story in
            let first = CaseLifecycle.fold(story)
            let replay = CaseLifecycle.fold(first.accepted)
            #expect(replay.rejected.isEmpty)
            #expect(replay.accepted == first.accepted)
            #expect(replay.state == first.state)
            #expect(CaseLifecycle.fold(story) == first)
        }
    }

    @Test(
        "a closed case accepts only CaseReopened, RecordSealed and corrections; a sealed one only RecordSealed and corrections; a voided one only RecordSealed"
    )
    func closedCasesAreClosed() async {
        await propertyCheck(count: 300, input: lifecycleStories) { story in
            var fold = CaseLifecycle.Fold()
            for event in story {
                let state = fold.state
                if !state.phase.isOpen {
                    var allowed: Set<CaseEventKind> =
                        switch state.phase {
                        case .notReported: [.recoveryReported]
                        case .closed: [.caseReopened, .recordSealed, .recoveryCorrected, .recoveryVoided]
                        default: [.recordSealed, .recoveryCorrected, .recoveryVoided]
                        }
                    if state.phase != .notReported && state.placementDecided {
                        allowed.formUnion([.placementCorrected, .placementVoided])
                    }
                    if state.recoveryVoided { allowed = [.recordSealed] }
                    for kind in CaseEventKind.allCases {
                        let result = CaseLifecycle.apply(state, kind)
                        if allowed.contains(kind) {
                            #expect((try? result.get()) != nil, "\(kind) refused in \(state)")
                        } else {
                            #expect((try? result.get()) == nil, "\(kind) accepted in \(state)")
                        }
                    }
                }
                fold.apply(event)
            }
        }
    }

    @Test("a refusal names the event and the phase it was refused in")
    func refusalsNameEventAndPhase() async {
        await propertyCheck(count: 200, input: lifecycleStories) { story in
            var state = CaseState.notReported
            for event in story {
                switch CaseLifecycle.apply(state, event) {
                case .success(let next): state = next
                case .failure(let violation):
                    #expect(violation.event == event && violation.phase == state.phase)
                    #expect(
                        violation.message.contains(event.eventType) && violation.message.contains(violation.rule.name))
                }
            }
        }
    }

    @Test("random stories reach every phase and break every rule (fixed seeds)")
    func coverage() {
        var phases: Set<CasePhase> = []
        var rules: Set<String> = []
        for seed in UInt64(1)...1_500 {
            var rng = Xoshiro(seed: (seed, seed &* 0x9E37_79B9_7F4A_7C15, ~seed, seed << 17 | 1))
            var state = CaseState.notReported
            phases.insert(state.phase)
            for event in lifecycleStories.run(using: &rng) {
                switch CaseLifecycle.apply(state, event) {
                case .success(let next): state = next
                case .failure(let violation): rules.insert(violation.rule.name)
                }
                phases.insert(state.phase)
            }
        }
        #expect(phases == Set(CasePhase.allCases))
        #expect(rules == Set(allRules.map(\.name)), "never broken: \(Set(allRules.map(\.name)).subtracting(rules))")
    }
}

/// Every named rule.
let allRules: [LifecycleViolation.Rule] = [
    .caseNotReported, .alreadyReported, .caseClosed, .recordSealed, .caseNotClosed, .caseStillOpen, .youthMissing,
    .youthAlreadyMissing, .youthNotMissing, .noRequestAwaitingResponder, .noResponderAssigned, .arrivalBeforeDispatch,
    .clearBeforeArrival, .noOpenRequest, .servicesNotOffered, .protocolWindowAlreadyClosed, .requestsStillOpen,
    .respondersStillOnScene, .recoveryVoided, .caseNotClosedForVoid, .noPlacement,
]
