import EventStore
import FirstResponder
import Testing

private let start = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!

@Suite("Simulated county timeline")
struct ScenarioTests {
    @Test("the same seed gives the same timeline; another seed another")
    func deterministic() {
        let a = Scenario(seed: 7, start: start, years: 1, casesPerYear: 200)
        let b = Scenario(seed: 7, start: start, years: 1, casesPerYear: 200)
        let c = Scenario(seed: 8, start: start, years: 1, casesPerYear: 200)
        #expect(a.steps == b.steps)
        #expect(a.steps != c.steps)
        #expect(zip(a.steps, a.steps.dropFirst()).allSatisfy { ($0.at, $0.sequence) < ($1.at, $1.sequence) })
    }

    @Test("a year looks like the protocol's: repeat recoveries, response times straddling 90 minutes, declines")
    func realistic() {
        let steps = Scenario(seed: 42, start: start, years: 1, casesPerYear: 750).steps
        var cases: [SimulatedCase] = []
        var requested: [String: Timestamp] = [:]
        var arrivals: [Double] = []
        var declines = 0
        var arrests = 0
        var attendees = 0
        var sessions = 0
        for step in steps {
            switch step.action {
            case .reportRecovery(let c): cases.append(c)
            case .requestResponse(let id, "advocate"): requested[id] = step.at
            case .arrive(let id, "advocate"): arrivals.append(requested[id]!.seconds(until: step.at) / 60)
            case .reply(_, _, .decline): declines += 1
            case .recordArrest: arrests += 1
            case .holdTraining(_, _, let n, _):
                sessions += 1
                attendees += n
            default: break
            }
        }
        #expect(cases.count > 740 && cases.count <= 750, "recoveries reported before the period ends")
        let repeats = Double(cases.filter(\.isRepeat).count) / Double(cases.count)
        #expect(repeats > 0.2 && repeats < 0.36, "repeat recoveries: \(repeats)")
        #expect(Set(cases.map(\.youthRef)).count < cases.count, "unique youth are fewer than recoveries")
        let late = Double(arrivals.filter { $0 > 90 }.count) / Double(arrivals.count)
        #expect(late > 0.15 && late < 0.5, "advocates on scene after 90 minutes: \(late)")
        #expect(declines > 30)
        #expect(arrests > 500 && arrests < 800)
        #expect(sessions == 275 && attendees / sessions > 80)
        #expect(cases.allSatisfy { $0.contactAt >= start })
    }
}
