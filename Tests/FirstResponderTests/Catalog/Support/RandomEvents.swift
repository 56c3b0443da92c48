import EventStore
import FirstResponder

/// Random but valid catalog events, from a seed (the property tests draw seeds with PropertyBased).
struct RandomEvents {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    // SplitMix64: small, deterministic, good enough to vary test data.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func maybe<T>(_ make: (inout RandomEvents) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func pick<T: CaseIterable>(_ type: T.Type) -> T { pick(Array(T.allCases)) }

    mutating func code(_ count: ClosedRange<Int>, alphabet: String = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") -> String {
        let chars = Array(alphabet)
        return String((0..<int(count)).map { _ in pick(chars) })
    }

    /// Free text: 1–`max` characters (`max` + 1 when trimmed), not blank, with spaces, punctuation and
    /// non-ASCII letters.
    mutating func text(_ max: Int = 80, trimmed: Bool = false) -> String {
        let chars = Array("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:'\"\\/-()éñüßøçΩЖ中文😀")
        var s = String((0..<int(1...max)).map { _ in pick(chars) })
        if trimmed || s.allSatisfy({ $0 == " " }) {
            s = "x" + s.trimmingPrefix(while: { $0 == " " })
            while s.last == " " { s.removeLast() }
        }
        return s
    }

    mutating func timestamp() -> Timestamp {
        // 2000 … 2100, with microseconds.
        Timestamp(microseconds: Int64(int(946_684_800...4_102_444_800)) * 1_000_000 + Int64(int(0...999_999)))
    }

    mutating func caseId() -> CaseID { CaseID(rawValue: "C-" + code(6...24))! }
    mutating func youthRef() -> YouthRef { YouthRef(rawValue: "Y-" + code(10...24))! }
    mutating func responderId() -> ResponderID { ResponderID(rawValue: "R-" + code(3...24))! }
    mutating func requestId() -> RequestID {
        RequestID(rawValue: "RQ-" + code(1...1) + code(3...39, alphabet: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"))!
    }
    mutating func operationId() -> OperationID { OperationID(rawValue: "OP-" + code(3...24))! }
    mutating func arrestId() -> ArrestID { ArrestID(rawValue: "A-" + code(4...24))! }
    mutating func timerId() -> TimerID { TimerID(rawValue: "T-" + code(1...1) + code(3...63))! }
    mutating func station() -> String { code(2...32, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") }

    // MARK: - Events

    mutating func recoveryReported() -> RecoveryReported {
        let agency = pick(Agency.self)
        return RecoveryReported(
            caseId: caseId(), youthRef: youthRef(), agency: agency,
            agencyName: agency == .other ? text(96, trimmed: true) + "PD" : nil, station: station(),
            area: pick(Area.self), contactAt: timestamp(), context: pick(RecoveryReported.Context.self),
            operationId: maybe { $0.operationId() }, ageAtContact: maybe { $0.int(10...21) },
            language: maybe { $0.pick(["en", "es", "es-MX", "zh-Hant", "hy"]) },
            onSupervision: maybe { $0.pick(RecoveryReported.OnSupervision.self) }, awol: maybe { $0.bool() })
    }

    mutating func responderAssigned() -> ResponderAssigned {
        let mode = pick(ResponderAssigned.Mode.self)
        return ResponderAssigned(
            caseId: caseId(), requestId: requestId(), responderId: responderId(), mode: mode,
            candidateRank: maybe { $0.int(1...10_000) },
            policyVersion: mode == .manual ? maybe { $0.int(1...65_535) } : int(1...65_535),
            overrideReason: mode == .manual ? text(500) : nil)
    }

    mutating func recommendationComputed() -> RecommendationComputed {
        var score = Double(int(-1000...1000)) / 7
        var used = Set<ResponderID>()
        func fresh(_ r: inout RandomEvents) -> ResponderID {
            while true {
                let id = r.responderId()
                if used.insert(id).inserted { return id }
            }
        }
        let candidates = (0..<int(0...6)).map { i -> RecommendationComputed.Candidate in
            score -= Double(int(0...50)) / 3
            return RecommendationComputed.Candidate(
                responderId: fresh(&self), rank: i + 1, score: score,
                reasons: (0..<int(0...3)).map { _ in text(100) })
        }
        let exclusions = (0..<int(0...6)).map { _ -> RecommendationComputed.Exclusion in
            let code = pick(RecommendationComputed.Exclusion.ReasonCode.self)
            return RecommendationComputed.Exclusion(
                responderId: fresh(&self), reasonCode: code, reason: code == .other ? text(500) : maybe { $0.text(500) }
            )
        }
        return RecommendationComputed(
            caseId: caseId(), requestId: requestId(), policyVersion: int(1...65_535),
            decidedAtPosition: int(0...9_007_199_254_740_991), rosterVersion: int(0...9_007_199_254_740_991),
            candidates: candidates, exclusions: exclusions)
    }

    mutating func arrestCorrected() -> ArrestCorrected {
        var c = ArrestCorrected.Corrections()
        repeat {
            c.role = maybe { $0.pick(ArrestRole.self) }
            c.agency = maybe { $0.pick(Agency.self) }
            if c.agency == .other || (c.agency == nil && bool()) { c.agencyName = text(96, trimmed: true) + "PD" }
            c.station = maybe { $0.station() }
            c.area = maybe { $0.pick(Area.self) }
            c.arrestedAt = maybe { $0.timestamp() }
            c.linkedCaseIds = maybe { r in Array(Set((0..<r.int(0...5)).map { _ in r.caseId() })).sorted() }
            c.charges = maybe { $0.pick([["PC-236.1"], ["PC-266h", "PC-647(b)"], []]) }
            c.operationId = maybe { $0.bool() ? .null : .value($0.operationId()) }
        } while c == ArrestCorrected.Corrections()
        return ArrestCorrected(arrestId: arrestId(), corrections: c, reason: text(500))
    }

    mutating func policyChanged() -> PolicyChanged {
        var weights: [String: Double] = [
            "continuity": Double(int(-1000...1000)), "workload": Double(int(-4000...4000)) / 4,
            "rotation": Double(int(-100_000...100_000)) / 100,
        ]
        for _ in 0..<int(0...5) { weights[code(1...1, alphabet: "abcxyz") + code(0...10, alphabet: "aZ09")] = 0.5 }
        return PolicyChanged(
            policyVersion: int(1...65_535), ackTimeoutSeconds: int(30...3600), maxEscalations: int(0...50),
            slaThresholds: PolicyChanged.SLAThresholds(
                advocateOnScene: int(60...604_800), agencyOnScene: int(60...604_800), acknowledge: int(60...604_800),
                health72: int(60...604_800), protocol72: int(60...604_800), hotlineImmediate: int(60...604_800)),
            rankingWeights: weights, reason: maybe { $0.text(500) })
    }

    mutating func timerScheduled() -> TimerScheduled {
        let kind = pick(TimerKind.self)
        let needsRequest = [TimerKind.ackTimeout, .advocateOnScene, .agencyOnScene].contains(kind)
        return TimerScheduled(
            timerId: timerId(), kind: kind, dueAt: timestamp(), caseId: caseId(),
            requestId: needsRequest ? requestId() : maybe { $0.requestId() },
            responderId: kind == .ackTimeout ? responderId() : maybe { $0.responderId() })
    }

    /// One of the above.
    mutating func any() -> any DomainEvent {
        switch int(0...5) {
        case 0: recoveryReported()
        case 1: responderAssigned()
        case 2: recommendationComputed()
        case 3: arrestCorrected()
        case 4: policyChanged()
        default: timerScheduled()
        }
    }
}
