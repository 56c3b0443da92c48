import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Read models: roster view")
struct RosterViewTests {
    @Test("the cached board equals a fresh fold at every position, and an earlier position is folded afresh")
    func cacheAgreesWithFold() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        try await h.run(
            Decline(
                caseId: caseA, requestId: requestA1, responderId: County.adv1, reasonCode: .tooFar, envelope: by(at(2)))
        )
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv2, envelope: by(at(40))))
        let head = try h.head()
        let cache = RosterViewCache()
        for position in 1...head {
            let cached = try cache.view(of: h.store, through: position)
            let fresh = try RosterView.load(from: h.store, through: position)
            #expect(cached.position == position && fresh.position == position)
            #expect(cached.snapshot() == fresh.snapshot(), "position \(position)")
        }
        // The county's reference data comes first; the first three responders right after it.
        let county = try h.store.streamHead(CountyRegistry.stream)?.lastPosition ?? 0
        let early = try cache.view(of: h.store, through: county + 3)
        #expect(early.registrationOrder.count == 3)
        #expect(
            try cache.view(of: h.store, through: head).snapshot()
                == RosterView.load(from: h.store, through: head).snapshot())

        let board = try h.roster().snapshot()
        let adv1 = try #require(board.responders.first { $0.id == "R-ADV001" })
        let adv2 = try #require(board.responders.first { $0.id == "R-ADV002" })
        #expect(adv1.status == "available" && adv1.openAssignments == 0 && adv1.lastAssignedAt == at(1))
        #expect(adv2.status == "on-scene" && adv2.activeCase == "C-2026A00017" && adv2.openAssignments == 1)
        #expect(adv2.youthServed == ["Y-7K2M9Q4D1X"])
        #expect(board.version == 6 && board.shifts.count == 6)
    }

    @Test("the board a handler keeps by folding its own appends equals a fresh fold, with other writers in between")
    func ownAppendsFoldedAsTheLogHoldsThem() async throws {
        let h = try await CommandHarness.make()
        try await h.seedAssigned()
        let other = CommandHandler(store: h.store, vault: h.vault, clock: { testsReceivedAt })
        func expectCurrent(_ note: Comment) throws {
            let head = try h.head()
            let kept = try h.handler.rosterCache.latest(of: h.store)
            let fresh = try RosterView.load(from: h.store, through: head)
            #expect(kept.position == head, note)
            #expect(kept.snapshot() == fresh.snapshot(), note)
            #expect(
                kept.snapshot(at: at(30), youth: youthRefA.rawValue)
                    == fresh.snapshot(at: at(30), youth: youthRefA.rawValue), note)
            #expect(kept.cases(ofYouth: youthRefA) == fresh.cases(ofYouth: youthRefA), note)
        }
        try expectCurrent("after the seed")
        try await h.run(
            Decline(
                caseId: caseA, requestId: requestA1, responderId: County.adv1, reasonCode: .tooFar, envelope: by(at(2)))
        )
        try expectCurrent("after a decline and its re-assignment")
        // Another handler appends: this one's cache is behind the log and reads the gap from it.
        _ = try await other.handle(County.recovery(caseB, youthRef: youthRefB))
        _ = try await other.handle(RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(3))))
        try await h.run(
            AssignByPolicy(caseId: caseB, requestId: requestID("RQ-2026A00018-1"), envelope: by(at(4))))
        try expectCurrent("after another handler's appends")
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: County.adv2, envelope: by(at(40))))
        try await h.run(
            LinkYouthIdentity(caseId: caseB, sameAsYouthRef: youthRefA, basis: .selfIdentified, envelope: by(at(41))))
        try expectCurrent("after an arrival and a link")
    }

    @Test("concurrent commands, whose appends share commits and fold in any order, leave the board a fresh fold")
    func concurrentAppendsFoldInOrder() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        let refs = "ABCDEFGHJK".map { letter in youth("Y-\(letter)K2M9Q4D1X") }
        let handler = h.handler
        for round in 0..<3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, ref) in refs.enumerated() {
                    let caseId = caseID("C-2026A\(String(format: "%05d", 100 + round * 10 + index))")
                    group.addTask { _ = try await handler.handle(County.recovery(caseId, youthRef: ref)) }
                }
                try await group.waitForAll()
            }
            let head = try h.head()
            // Folded from the appends themselves, in log order: nothing is left to read from the log.
            #expect(handler.rosterCache.foldedPosition == head)
            let kept = try handler.rosterCache.latest(of: h.store)
            let fresh = try RosterView.load(from: h.store, through: head)
            #expect(kept.position == head)
            #expect(kept.snapshot() == fresh.snapshot())
            for ref in refs {
                #expect(kept.cases(ofYouth: ref) == fresh.cases(ofYouth: ref))
                #expect(kept.cases(ofYouth: ref).count == round + 1)
            }
        }
    }

    @Test("continuity follows linked youth references: the advocate who served the earlier reference comes first")
    func continuityThroughLinks() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCounty()
        // Youth B's earlier case: R-ADV003 was with them.
        try await h.run(County.recovery(caseB, youthRef: youthRefB))
        try await h.run(RequestResponse(caseId: caseB, role: .advocate, envelope: by(at(0))))
        let rqB = requestID("RQ-2026A00018-1")
        try await h.run(
            AssignManually(
                caseId: caseB, requestId: rqB, responderId: County.adv3, overrideReason: "On the way.",
                envelope: by(at(1))))
        try await h.run(Arrive(caseId: caseB, requestId: rqB, responderId: County.adv3, envelope: by(at(20))))
        try await h.run(Clear(caseId: caseB, requestId: rqB, responderId: County.adv3, envelope: by(at(60))))
        // Case A's youth turns out to be youth B.
        try await h.run(County.recovery())
        try await h.run(
            LinkYouthIdentity(caseId: caseA, sameAsYouthRef: youthRefB, basis: .selfIdentified, envelope: by(at(61))))
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(62))))
        let assigned = try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(63))))
        let first = try #require(assigned.first(RecommendationComputed.self)?.candidates.first)
        #expect(first.responderId == County.adv3)
        #expect(first.reasons.contains("continuity"))
        #expect(try h.roster().linkedYouthRefs(youthRefA) == [youthRefA, youthRefB])

        // The board narrowed to the youth a decision is for answers continuity as the full board does.
        let roster = try h.roster()
        let full = roster.snapshot(at: at(63))
        for youth in [youthRefA.rawValue, youthRefB.rawValue, "Y-NEVERSEEN1"] {
            let narrowed = roster.snapshot(at: at(63), youth: youth)
            #expect(narrowed.responders.map(\.id) == full.responders.map(\.id))
            for (n, f) in zip(narrowed.responders, full.responders) {
                #expect(n.youthServed.contains(youth) == f.youthServed.contains(youth), "\(n.id) \(youth)")
                #expect(n.youthServed.isSubset(of: [youth]))
            }
        }
        #expect(
            full.responders.first { $0.id == County.adv3.rawValue }?.youthServed.contains(youthRefA.rawValue) == true)
    }

    @Test("linked youth references form one group whatever the order of the links, and groups merge")
    func linkedGroups() throws {
        let refs = ["Y-7K2M9Q4D1A", "Y-7K2M9Q4D1B", "Y-7K2M9Q4D1C", "Y-7K2M9Q4D1D", "Y-7K2M9Q4D1E"].map(youth)
        // Folded outside a case stream: the case lifecycle is not what is tested here, the links are.
        var roster = RosterView()
        var version: UInt64 = 0
        func link(_ a: Int, _ b: Int) {
            version += 1
            roster.apply(
                .youthIdentityLinked(
                    YouthIdentityLinked(
                        caseId: caseA, youthRef: refs[a], sameAsYouthRef: refs[b],
                        basis: .selfIdentified)),
                stream: "links", version: version, occurredAt: at(Int64(version)))
        }
        link(3, 1)  // D–B
        link(4, 2)  // E–C
        #expect(roster.linkedYouthRefs(refs[1]) == [refs[1], refs[3]])
        #expect(roster.linkedYouthRefs(refs[2]) == [refs[2], refs[4]])
        #expect(roster.linkedYouthRefs(refs[0]) == [refs[0]])
        link(4, 3)  // E–D joins the two groups
        link(1, 2)  // already one group
        let group = Set(refs[1...4])
        for ref in refs[1...4] { #expect(roster.linkedYouthRefs(ref) == group) }
        link(0, 4)  // A joins from the other side: A becomes the group's representative
        for ref in refs { #expect(roster.linkedYouthRefs(ref) == Set(refs)) }
    }
}
