import EventStore
import FirstResponder
import Projections
import Testing
import VigilTestSupport

@Suite("Service-level clocks")
struct ServiceLevelClockTests {
    private func clocks(_ h: Harness, _ caseId: CaseID = caseA, now: Timestamp) throws -> [Clock] {
        try h.read { reader in
            try ResponseTimesQuery(now: now, caseId: caseId.rawValue, includeClocks: true).run(reader).clocks ?? []
        }
    }

    @Test("re-assignment never restarts the on-scene clock; each responder gets an acknowledgement clock")
    func reassignment() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let first = try #require(try h.record(caseA)?.requests.first?.assignments.first?.responderId)
        try await h.run(
            Decline(
                caseId: caseA, requestId: requestA1, responderId: ResponderID(rawValue: first)!,
                reasonCode: .atAnotherScene, envelope: by(at(3))))
        // The decline escalates to the next candidate in the same command.
        let record = try #require(try h.record(caseA))
        let second = try #require(record.requests[0].assignments.last?.responderId)
        #expect(second != first)
        let responder = ResponderID(rawValue: second)!
        try await h.run(Acknowledge(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(6))))
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(95))))

        let all = try clocks(h, now: at(200))
        let onScene = try #require(all.first { $0.serviceLevel == "ADVOCATE-ON-SCENE" })
        #expect(onScene.startedAt == at(0).rfc3339, "the clock starts at the request, not at the re-assignment")
        #expect(onScene.elapsedSeconds == 95 * 60)
        #expect(onScene.status == .breached)
        #expect(onScene.fromContactSeconds == 105 * 60)
        #expect(onScene.responderId == second)
        let acks = all.filter { $0.serviceLevel == "ACKNOWLEDGE" }
        #expect(acks.map(\.responderId) == [first, second])
        #expect(acks[0].status == .notApplicable && acks[0].reason == "declined")
        #expect(acks[1].status == .met && acks[1].elapsedSeconds == 3 * 60)
    }

    @Test("a clock is open before its deadline, breached after, met when stopped in time")
    func openBreachedMet() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        var onScene = try #require(try clocks(h, now: at(30)).first { $0.serviceLevel == "ADVOCATE-ON-SCENE" })
        #expect(onScene.status == .open && onScene.elapsedSeconds == 30 * 60 && onScene.isRunning)
        #expect(onScene.secondsLeft(at: at(30)) == 60 * 60)
        onScene = try #require(try clocks(h, now: at(91)).first { $0.serviceLevel == "ADVOCATE-ON-SCENE" })
        #expect(onScene.status == .breached && onScene.isRunning)

        try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let responder = try #require(try h.firstResponder())
        try await h.run(Arrive(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(40))))
        onScene = try #require(try clocks(h, now: at(91)).first { $0.serviceLevel == "ADVOCATE-ON-SCENE" })
        #expect(onScene.status == .met && !onScene.isRunning && onScene.elapsedSeconds == 40 * 60)
        // An arrival without an acknowledgement stops the acknowledgement clock — 39 minutes late.
        let ack = try #require(try clocks(h, now: at(91)).first { $0.serviceLevel == "ACKNOWLEDGE" })
        #expect(ack.status == .breached && ack.elapsedSeconds == 39 * 60)
    }

    @Test("cancelled requests and out-of-scope cases are not applicable, counted by reason")
    func notApplicable() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(RequestResponse(caseId: caseA, role: .dcfs, envelope: by(at(1))))
        try await h.run(
            CancelResponse(caseId: caseA, requestId: requestA2, reasonCode: .notNeeded, envelope: by(at(5))))
        try await h.report(caseB, youth: "Y-3F8H6J2L5N")
        try await h.run(DeemOutOfScope(caseId: caseB, reasonCode: .noExploitationIndicators, envelope: by(at(6))))
        let times = try h.read { try ResponseTimesQuery(now: at(30)).run($0) }
        let agency = try #require(times.levels.first { $0.serviceLevel == "AGENCY-ON-SCENE" })
        #expect(agency.overall.notApplicable["cancelled:not-needed"] == 1)
        #expect(agency.overall.n == 0 && agency.overall.withinPercent == nil)
        let health = try #require(times.levels.first { $0.serviceLevel == "HEALTH-72" })
        #expect(health.overall.notApplicable["out-of-scope"] == 1)
        #expect(health.overall.open == 1)
    }

    @Test("an arrival recorded a day after it happened is entered late, and counts when it happened")
    func lateEntry() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let responder = try #require(try h.firstResponder())
        try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(60))),
            recordedAt: at(60 + 25 * 60))
        let times = try h.read { try ResponseTimesQuery(serviceLevel: "ADVOCATE-ON-SCENE").run($0) }
        let stats = try #require(times.levels.first).overall
        #expect(stats.met == 1 && stats.enteredLate == 1 && stats.medianSeconds == 3600)
    }

    @Test("p90 is the value at rank ⌈0.9·n⌉ of the sorted seconds, the median at ⌈0.5·n⌉")
    func nearestRank() {
        #expect(NearestRank.percentile(90, ofSorted: [Int]()) == nil)
        #expect(NearestRank.percentile(90, ofSorted: [7]) == 7)
        let ten = Array(1...10)
        #expect(NearestRank.percentile(90, ofSorted: ten) == 9)
        #expect(NearestRank.percentile(50, ofSorted: ten) == 5)
        let eleven = Array(1...11)
        #expect(NearestRank.percentile(90, ofSorted: eleven) == 10)
        #expect(NearestRank.percentile(50, ofSorted: eleven) == 6)
        #expect(NearestRank.percentile(90, ofSorted: Array(1...20)) == 18)
    }

    @Test("a percentile of values given by their counts is the percentile of the values listed")
    func nearestRankOfCounts() {
        #expect(NearestRank.percentile(50, ofCounts: [:]) == nil)
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 9, 10, 11, 97, 1_000] {
            // Few distinct values, so most occur many times.
            let values = (0..<size).map { _ in Int.random(in: 0..<40, using: &generator) * 60 }
            let counts = values.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            for percent in [1, 10, 50, 90, 99, 100] {
                #expect(
                    NearestRank.percentile(percent, ofCounts: counts)
                        == NearestRank.percentile(percent, ofSorted: values.sorted()), "p\(percent) of \(size)")
            }
        }
    }
}
