import EventStore
import FirstResponder
import Projections
import Testing
import VigilTestSupport

@Suite("Case board and roster board")
struct BoardTests {
    @Test("a responder who cannot arrive by the deadline on the travel estimate puts the clock at risk")
    func atRisk() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        // The SPA4 advocate, on call, sent by hand to the SPA2 scene: 30 minutes, 20 more for the area
        // crossed and 15 from home, on the default estimate.
        try await h.run(
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: adv4, overrideReason: "knows the youth",
                envelope: by(at(2))))
        let early = try h.read { try CaseBoardQuery(now: at(10)).run($0) }
        let entry = try #require(early.cases.first)
        #expect(entry.caseId == caseA.rawValue && entry.phase == "responding" && entry.requestedRoles == ["advocate"])
        let request = try #require(entry.requests.first)
        #expect(request.responderId == adv4.rawValue && request.responderStatus == "notified")
        #expect(request.expectedAt == at(10 + 65).rfc3339 && !request.atRisk)
        #expect(early.atRisk == 0)

        // At 45 minutes they have not set out: 45 + 65 minutes after the request, past 90.
        let late = try h.read { try CaseBoardQuery(now: at(45)).run($0) }
        #expect(late.atRisk == 1)
        let clock = try #require(late.cases.first?.clocks.first { $0.serviceLevel == "ADVOCATE-ON-SCENE" })
        #expect(clock.atRisk && clock.secondsLeft == 45 * 60 && clock.status == "open")

        // Their own ETA, once they give one, replaces the estimate.
        try await h.run(
            EnRoute(caseId: caseA, requestId: requestA1, responderId: adv4, etaMinutes: 20, envelope: by(at(46))))
        let enRoute = try h.read { try CaseBoardQuery(now: at(47)).run($0) }
        #expect(enRoute.atRisk == 0)
        #expect(enRoute.cases.first?.requests.first?.responderStatus == "en-route")
        #expect(enRoute.cases.first?.requests.first?.expectedAt == at(66).rfc3339)

        // On scene: the clock stops and leaves the board; the case stays with its responder.
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: adv4, envelope: by(at(64))))
        let arrived = try h.read { try CaseBoardQuery(now: at(65)).run($0) }
        #expect(arrived.cases.first?.clocks.contains { $0.serviceLevel == "ADVOCATE-ON-SCENE" } == false)
        #expect(arrived.cases.first?.requests.first?.responderStatus == "on-scene")
        #expect(arrived.cases.first?.phase == "on-scene")
    }

    @Test("closed cases leave the board; filters narrow it")
    func closedAndFiltered() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.report(caseB, youth: "Y-3F8H6J2L5N", area: .spa4)
        var board = try h.read { try CaseBoardQuery(now: at(1)).run($0) }
        #expect(board.cases.map(\.caseId).sorted() == [caseA.rawValue, caseB.rawValue])
        board = try h.read { try CaseBoardQuery(now: at(1), area: "SPA4").run($0) }
        #expect(board.cases.map(\.caseId) == [caseB.rawValue])
        try await h.run(CloseCase(caseId: caseB, outcome: .other, reason: "test", envelope: by(at(2))))
        board = try h.read { try CaseBoardQuery(now: at(3)).run($0) }
        #expect(board.cases.map(\.caseId) == [caseA.rawValue])
        #expect(board.byPhase["intake"] == 1)
    }

    @Test("the roster board: on duty, on call, off shift, committed, since when")
    func roster() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(
            AssignManually(
                caseId: caseA, requestId: requestA1, responderId: adv2, overrideReason: "closest",
                envelope: by(at(2))))
        let board = try h.read { try RosterQuery(now: at(5)).run($0) }
        let byId = Dictionary(uniqueKeysWithValues: board.responders.map { ($0.responderId, $0) })
        #expect(byId[adv2.rawValue]?.status == "assigned")
        #expect(byId[adv2.rawValue]?.activeCase == caseA.rawValue)
        #expect(byId[adv2.rawValue]?.since == at(2).rfc3339)
        #expect(byId[adv4.rawValue]?.shift == "on-call")
        #expect(byId[adv1.rawValue]?.shift == "on-duty")
        #expect(board.counts.onShift == 4 && board.counts.committed == 1 && board.counts.available == 3)
        // After the shift ends everyone is off.
        let later = try h.read { try RosterQuery(now: at(700)).run($0) }
        #expect(later.counts.onShift == 0 && later.responders.allSatisfy { $0.shift == "off-shift" })
    }
}
