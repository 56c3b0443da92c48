import EventStore
import FirstResponder
import PropertyBased
import Testing

/// 2026-03-14T02:13:00Z, the decision time in these tests.
private let now = Timestamp(seconds: 1_773_454_380)
private let now0 = now

private func shift(_ id: String, onCall: Bool = false, areas: [String]? = nil) -> RosterSnapshot.Shift {
    RosterSnapshot.Shift(
        responderId: id, startsAt: now.adding(seconds: -3600), endsAt: now.adding(seconds: 7 * 3600), onCall: onCall,
        areas: areas)
}

private func request(
    area: String = "SPA2", language: String? = nil, youth: String = "Y-0000000001", tried: [String: String] = [:]
) -> DispatchRequest {
    DispatchRequest(
        caseId: "C-2026A00017", requestId: "RQ-1", role: "advocate", area: area, station: "SCV", language: language,
        youthRef: youth, age: 15, at: now, alreadyTried: tried)
}

@Suite("Dispatch policy")
struct DispatchPolicyTests {
    static let roster = RosterSnapshot(
        version: 12,
        responders: [
            .init(id: "R-ADV01", role: "advocate", areas: ["SPA2"], openAssignments: 2),
            .init(id: "R-ADV02", role: "advocate", languages: ["en", "es"], areas: ["SPA2"], stations: ["SCV"]),
            .init(id: "R-ADV03", role: "advocate", areas: ["SPA2"], youthServed: ["Y-0000000001"]),
            .init(id: "R-ADV04", role: "advocate", areas: ["SPA4"]),
            .init(id: "R-ADV05", role: "advocate", areas: ["SPA2"], status: "on-scene", activeCase: "C-OTHER01"),
            .init(id: "R-ADV06", role: "advocate", areas: ["SPA2"]),
            .init(id: "R-ADV07", role: "advocate", areas: ["SPA2"], deactivated: true),
            .init(id: "R-DCFS01", role: "dcfs", areas: ["SPA2"]),
            .init(id: "R-SUP01", role: "supervisor", areas: ["SPA4"]),
            .init(id: "R-SUP02", role: "supervisor", areas: ["SPA2"]),
        ],
        shifts: ["R-ADV01", "R-ADV02", "R-ADV03", "R-ADV04", "R-ADV05", "R-ADV07", "R-DCFS01", "R-SUP01", "R-SUP02"].map
        {
            shift($0)
        },
        timeOff: [])

    @Test("v1: continuity first, then workload and rotation; every other responder excluded with a reason")
    func v1Ranking() throws {
        let r = DispatchPolicyV1().recommend(request(), roster: Self.roster, weights: RankingWeights())
        #expect(r.policyVersion == 1)
        #expect(r.candidates.map(\.responderId) == ["R-ADV03", "R-ADV02", "R-ADV01"])
        #expect(r.candidates.map(\.rank) == [1, 2, 3])
        #expect(r.candidates[0].reasons.contains("continuity"))
        #expect(r.candidates[1].reasons.contains("covers-station"))
        #expect(r.candidates[2].reasons.contains("workload:2"))
        let reasons = Dictionary(uniqueKeysWithValues: r.exclusions.map { ($0.responderId, $0.reasonCode) })
        #expect(
            reasons == [
                "R-ADV04": "wrong-area", "R-ADV05": "at-another-scene", "R-ADV06": "off-shift",
                "R-ADV07": "deactivated",
                "R-DCFS01": "wrong-role", "R-SUP01": "wrong-role", "R-SUP02": "wrong-role",
            ])
    }

    @Test("the youth's language excludes those who do not speak it, unless nobody eligible does")
    func language() {
        let spanish = DispatchPolicyV1().recommend(
            request(language: "es-MX"), roster: Self.roster, weights: RankingWeights())
        #expect(spanish.candidates.map(\.responderId) == ["R-ADV02"])
        #expect(spanish.exclusions.filter { $0.reasonCode == "language" }.map(\.responderId) == ["R-ADV01", "R-ADV03"])
        let armenian = DispatchPolicyV1().recommend(
            request(language: "hy"), roster: Self.roster, weights: RankingWeights())
        #expect(armenian.candidates.count == 3, "nobody speaks it: language excludes nobody")
    }

    @Test("v2 weighs distance: a free advocate next door is asked when nobody local is free")
    func v2Distance() {
        let busy = RosterSnapshot(
            version: 3,
            responders: [
                .init(id: "R-LOCAL", role: "advocate", areas: ["SPA2"], status: "on-scene", activeCase: "C-OTHER01"),
                .init(id: "R-NEXT", role: "advocate", areas: ["SPA4"]),
                .init(id: "R-FAR", role: "advocate", areas: ["SPA8"]),
            ],
            shifts: [shift("R-LOCAL"), shift("R-NEXT"), shift("R-FAR")])
        let v1 = DispatchPolicyV1().recommend(request(), roster: busy, weights: RankingWeights())
        let v2 = DispatchPolicyV2().recommend(request(), roster: busy, weights: RankingWeights())
        #expect(v1.candidates.isEmpty)
        #expect(v2.candidates.map(\.responderId) == ["R-NEXT"])
        #expect(v2.candidates[0].reasons.first == "adjacent-area:1")
        #expect(v2.exclusions.map(\.reasonCode) == ["at-another-scene", "wrong-area"])
    }

    @Test("declined and timed-out responders are not asked again")
    func alreadyTried() {
        let r = DispatchPolicyV1().recommend(
            request(tried: ["R-ADV03": "declined-already"]), roster: Self.roster, weights: RankingWeights())
        #expect(r.first == "R-ADV02")
        #expect(r.exclusions.contains { $0.responderId == "R-ADV03" && $0.reasonCode == "declined-already" })
    }

    @Test("escalation walks the list, then reaches the nearest supervisor on duty, then says so")
    func escalation() {
        let r = DispatchPolicyV1().recommend(request(), roster: Self.roster, weights: RankingWeights())
        func step(_ tried: Set<String>, max: Int = 5) -> Escalation.Step {
            Escalation.next(
                after: tried, recommendation: r, roster: Self.roster, area: "SPA2", at: now, maxEscalations: max)
        }
        #expect(step([]) == .candidate(responderId: "R-ADV03", rank: 1))
        #expect(step(["R-ADV03"]) == .candidate(responderId: "R-ADV02", rank: 2))
        #expect(step(["R-ADV03", "R-ADV02", "R-ADV01"]) == .supervisor(responderId: "R-SUP02"))
        #expect(
            step(["R-ADV03", "R-ADV02"], max: 1) == .supervisor(responderId: "R-SUP02"), "escalation limit reached")
        #expect(step(["R-ADV03", "R-ADV02", "R-ADV01", "R-SUP02", "R-SUP01"]) == .exhausted)
    }

    @Test("escalation passes over a candidate who has since gone to another scene or off shift")
    func escalationRechecks() {
        let r = DispatchPolicyV1().recommend(request(), roster: Self.roster, weights: RankingWeights())
        var now = Self.roster
        let busy = now.responders.firstIndex { $0.id == "R-ADV02" }!
        now.responders[busy].status = "en-route"
        now.responders[busy].activeCase = "C-OTHER02"
        #expect(
            Escalation.next(
                after: ["R-ADV03"], recommendation: r, roster: now, area: "SPA2", at: now0, maxEscalations: 5)
                == .candidate(responderId: "R-ADV01", rank: 3))
        now.shifts.removeAll { $0.responderId == "R-ADV01" }
        #expect(
            Escalation.next(
                after: ["R-ADV03"], recommendation: r, roster: now, area: "SPA2", at: now0, maxEscalations: 5)
                == .supervisor(responderId: "R-SUP02"))
    }

    @Test("every version ranks any roster consistently", arguments: DispatchPolicies.all.map(\.version))
    func invariants(version: Int) async throws {
        let policy = try #require(DispatchPolicies.version(version))
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000)) { seed in
            let (roster, req) = randomCase(seed: UInt64(seed))
            let r = policy.recommend(req, roster: roster, weights: RankingWeights())
            // Ranks 1…n in order; scores never increase down the list.
            #expect(
                r.candidates.map(\.rank) == Array(1...max(1, r.candidates.count)).prefix(r.candidates.count).map { $0 })
            #expect(zip(r.candidates, r.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
            // Every responder appears exactly once, as a candidate or an exclusion.
            let ids = r.candidates.map(\.responderId) + r.exclusions.map(\.responderId)
            #expect(ids.sorted() == roster.responders.map(\.id).sorted())
            // Candidates have the role, are on shift and not off, and are not at another scene.
            for c in r.candidates {
                let responder = roster.responders.first { $0.id == c.responderId }!
                #expect(responder.role == req.role && !responder.deactivated)
                #expect(roster.shift(of: c.responderId, at: req.at) != nil && !roster.isOff(c.responderId, at: req.at))
                #expect(responder.activeCase == nil || responder.activeCase == req.caseId)
            }
            // Pure: the same inputs give the same decision.
            #expect(policy.recommend(req, roster: roster, weights: RankingWeights()) == r)
        }
    }
}

/// A random roster and request from a seed (deterministic).
private func randomCase(seed: UInt64) -> (RosterSnapshot, DispatchRequest) {
    var rng = SplitMix64(seed: seed)
    func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    let areas = (1...8).map { "SPA\($0)" }
    let roles = ["advocate", "advocate", "dcfs", "probation", "supervisor"]
    let count = Int(rng.next() % 25)
    var responders: [RosterSnapshot.Responder] = []
    var shifts: [RosterSnapshot.Shift] = []
    var timeOff: [RosterSnapshot.TimeOff] = []
    for i in 0..<count {
        let id = "R-X\(i)"
        let busy = rng.next() % 4 == 0
        responders.append(
            .init(
                id: id, role: pick(roles), languages: rng.next() % 3 == 0 ? ["en", "es"] : ["en"],
                areas: [pick(areas)], stations: rng.next() % 3 == 0 ? ["SCV"] : [],
                servesAges: rng.next() % 5 == 0 ? 11...18 : nil,
                deactivated: rng.next() % 10 == 0,
                status: busy ? pick(["assigned", "en-route", "on-scene"]) : "available",
                activeCase: busy ? "C-OTHER\(i)" : nil, openAssignments: Int(rng.next() % 4),
                lastAssignedAt: rng.next() % 2 == 0 ? now.adding(seconds: -Int64(rng.next() % 100_000)) : nil,
                youthServed: rng.next() % 6 == 0 ? ["Y-0000000001"] : []))
        if rng.next() % 4 != 0 { shifts.append(shift(id, onCall: rng.next() % 2 == 0)) }
        if rng.next() % 8 == 0 {
            timeOff.append(.init(responderId: id, startsAt: now.adding(seconds: -60), endsAt: now.adding(seconds: 60)))
        }
    }
    let req = DispatchRequest(
        caseId: "C-2026A00017", requestId: "RQ-1", role: pick(["advocate", "dcfs", "probation"]), area: pick(areas),
        station: "SCV", language: rng.next() % 3 == 0 ? "es" : nil, youthRef: "Y-0000000001",
        age: Int(10 + rng.next() % 12), awol: rng.next() % 10 == 0, at: now)
    return (RosterSnapshot(version: 1, responders: responders, shifts: shifts, timeOff: timeOff), req)
}

@Suite("A roster snapshot's shift of a responder")
struct RosterSnapshotShiftTests {
    static func at(_ hours: Int) -> Timestamp { now.adding(seconds: Int64(hours) * 3600) }
    static func shift(_ id: String, _ from: Int, _ to: Int, areas: [String]? = nil) -> RosterSnapshot.Shift {
        RosterSnapshot.Shift(responderId: id, startsAt: at(from), endsAt: at(to), areas: areas)
    }

    @Test("the latest-starting shift covering the moment; of those starting together, the first listed")
    func latestStarting() {
        var roster = RosterSnapshot(
            version: 1, responders: [],
            shifts: [
                Self.shift("R-A", 0, 8), Self.shift("R-B", 0, 8), Self.shift("R-A", 2, 4, areas: ["SPA1"]),
                Self.shift("R-A", 2, 6, areas: ["SPA2"]), Self.shift("R-A", 9, 12), Self.shift("R-B", 1, 3),
            ])
        #expect(roster.shift(of: "R-A", at: Self.at(1)) == Self.shift("R-A", 0, 8))
        #expect(roster.shift(of: "R-A", at: Self.at(3))?.areas == ["SPA1"])
        #expect(roster.shift(of: "R-A", at: Self.at(5))?.areas == ["SPA2"])
        #expect(roster.shift(of: "R-A", at: Self.at(7)) == Self.shift("R-A", 0, 8))
        #expect(roster.shift(of: "R-A", at: Self.at(8)) == nil)
        #expect(roster.shift(of: "R-A", at: Self.at(10)) == Self.shift("R-A", 9, 12))
        #expect(roster.shift(of: "R-B", at: Self.at(2)) == Self.shift("R-B", 1, 3))
        #expect(roster.shift(of: "R-C", at: Self.at(2)) == nil)
        // Shifts changed after the snapshot was made: the index follows.
        roster.shifts = [Self.shift("R-C", 0, 4)]
        #expect(roster.shift(of: "R-C", at: Self.at(2)) == Self.shift("R-C", 0, 4))
        #expect(roster.shift(of: "R-A", at: Self.at(2)) == nil)
    }
}
