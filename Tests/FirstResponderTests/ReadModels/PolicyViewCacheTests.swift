import EventStore
import FirstResponder
import Testing

@Suite("Read models: policy view cache")
struct PolicyViewCacheTests {
    /// A `ChangePolicy` to code version 1 with acknowledgement timeout `ack`.
    static func change(ack: Int, at minute: Int64) -> ChangePolicy {
        ChangePolicy(
            change: PolicyChanged(
                policyVersion: 1, ackTimeoutSeconds: ack, maxEscalations: 2,
                slaThresholds: .init(
                    advocateOnScene: 3_600, agencyOnScene: 5_400, acknowledge: ack, health72: 259_200,
                    protocol72: 259_200, hotlineImmediate: 86_400),
                rankingWeights: ["continuity": 50, "workload": 5, "rotation": 2]),
            envelope: by(at(minute), "user:protocol-admin-1"))
    }

    /// Reports case `caseId` (youth `youthRef`), requests an advocate and assigns one by policy at
    /// `minute`: the decision and the acknowledgement deadline it set.
    static func assign(
        _ h: CommandHarness, _ caseId: CaseID, _ youthRef: YouthRef, at minute: Int64, by handler: CommandHandler
    ) async throws -> (RecommendationComputed, NotificationSent) {
        _ = try await handler.handle(County.recovery(caseId, youthRef: youthRef))
        _ = try await handler.handle(RequestResponse(caseId: caseId, role: .advocate, envelope: by(at(minute))))
        let request = requestID("RQ-\(caseId.rawValue.dropFirst(2))-1")
        let result = try await handler.handle(
            AssignByPolicy(caseId: caseId, requestId: request, envelope: by(at(minute))))
        return (
            try #require(result.first(RecommendationComputed.self)), try #require(result.first(NotificationSent.self))
        )
    }

    /// The county seeded, the policy changed, and case A assigned by it (the handler's cache warm).
    static func decidedAfterAChange() async throws -> CommandHarness {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        try await h.run(Self.change(ack: 600, at: 0))
        _ = try await Self.assign(h, caseA, youthRefA, at: 1, by: h.handler)
        return h
    }

    @Test("a policy change is seen by the next command, whether this handler or another one appended it")
    func changeSeenByNextCommand() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        // The initial policy, read (and cached) by a decision.
        let (first, firstNotice) = try await Self.assign(h, caseA, youthRefA, at: 1, by: h.handler)
        #expect(first.policyRevision == 0)
        #expect(firstNotice.ackDueAt == at(1).adding(seconds: 300))

        // Changed through the same handler: the next decision uses the new revision.
        try await h.run(Self.change(ack: 600, at: 2))
        let (second, secondNotice) = try await Self.assign(h, caseB, youthRefB, at: 3, by: h.handler)
        #expect(second.policyRevision == 1)
        #expect(secondNotice.ackDueAt == at(3).adding(seconds: 600))

        // Changed by another handler of the same store (caches of its own): seen all the same.
        let other = CommandHandler(store: h.store, vault: h.vault, clock: { testsReceivedAt })
        _ = try await other.handle(Self.change(ack: 420, at: 4))
        let (third, thirdNotice) = try await Self.assign(
            h, caseID("C-2026A00019"), youth("Y-5T4R3E2W1Q"), at: 5, by: h.handler)
        #expect(third.policyRevision == 2)
        #expect(thirdNotice.ackDueAt == at(5).adding(seconds: 420))
        // What the handler folded from its own appends and read after the other's is the log's policy.
        #expect(try h.handler.policyCache.view(of: h.store, through: h.head()) == PolicyView.load(from: h.store))
    }

    @Test("the cached policy equals a fresh fold at every position, asked forwards and then backwards")
    func cacheAgreesWithFold() async throws {
        let h = try await Self.decidedAfterAChange()
        try await h.run(Self.change(ack: 420, at: 2))
        try await h.run(Self.change(ack: 360, at: 3))
        _ = try await Self.assign(h, caseB, youthRefB, at: 4, by: h.handler)
        let head = try h.head()

        let cache = PolicyViewCache()
        for position in 1...head {
            #expect(
                try cache.view(of: h.store, through: position) == PolicyView.load(from: h.store, through: position),
                "position \(position)")
        }
        // Earlier positions than the cached view's change fold afresh and leave the cache as it was.
        for position in (1...head).reversed() {
            #expect(
                try cache.view(of: h.store, through: position) == PolicyView.load(from: h.store, through: position),
                "position \(position), asked after a later one")
        }
        let latest = try cache.view(of: h.store, through: head)
        #expect(try latest == PolicyView.load(from: h.store))
        #expect(latest.revision == 3 && latest.ackTimeoutSeconds == 360)
    }

    @Test("an undecodable PolicyChanged after the cached view is an error at every command, never skipped")
    func undecodableAfterCaching() async throws {
        let h = try await Self.decidedAfterAChange()
        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(3))))
        _ = try await h.store.append(
            AppendRequest(events: [
                NewEvent(
                    stream: "policy", type: "PolicyChanged", occurredAt: at(2), actor: "user:import",
                    payload: Array(#"{"policyVersion": "two"}"#.utf8))
            ]))
        let assign = AssignByPolicy(caseId: caseB, requestId: requestID("RQ-2026A00018-1"), envelope: by(at(3)))
        try await h.expectRejection(.undecodableEvent, assign)
        try await h.expectRejection(.undecodableEvent, assign)
        #expect(throws: RuleViolation.self) { try h.handler.policyCache.view(of: h.store, through: try h.head()) }
    }
}
