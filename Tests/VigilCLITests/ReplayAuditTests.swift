import Foundation
import Testing

@Suite("Replay and audit")
struct ReplayAuditTests {
    @Test("vigil replay rebuild: digests equal the live views and each other; as-of a position or a recorded time")
    func replay() async throws {
        let scratch = try Scratch("replay")
        defer { scratch.remove() }
        try #require(try await scratch.vigil(["simulate", "--seed", "5", "--days", "5"]).succeeded)
        try #require(try await scratch.vigil(["views", "update"]).succeeded)
        let first = try await scratch.vigil(["replay", "rebuild", "--json"])
        try #require(first.succeeded, "\(first)")
        let results = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [[String: Any]])
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0["digest"] as? String == $0["liveDigest"] as? String && $0["digest"] != nil })
        let second = try await scratch.vigil(["replay", "rebuild", "--json", "--view", "case-board"])
        let again = try #require(try JSONSerialization.jsonObject(with: second.stdout) as? [[String: Any]])
        #expect(again.map { $0["name"] as? String } == ["cases", "roster"])
        for r in again {
            #expect(
                r["digest"] as? String == results.first { $0["name"] as? String == r["name"] as? String }?["digest"]
                    as? String)
        }
        let text = try await scratch.vigil(["replay", "rebuild", "--view", "arrests"])
        #expect(text.succeeded && text.stdoutText.contains("same as the live view"), "\(text)")
        let bad = try await scratch.vigil(["replay", "rebuild", "--view", "everything"])
        #expect(!bad.succeeded && bad.stderrText.contains("--view: expected a view"), "\(bad)")
        // On one thread or on three: the same digests; a number of lanes out of range is refused.
        for lanes in ["1", "3"] {
            let laned = try await scratch.vigil(["replay", "rebuild", "--json", "--lanes", lanes])
            try #require(laned.succeeded, "\(laned)")
            let rows = try #require(try JSONSerialization.jsonObject(with: laned.stdout) as? [[String: Any]])
            #expect(rows.map { $0["digest"] as? String } == results.map { $0["digest"] as? String }, "--lanes \(lanes)")
        }
        let noLanes = try await scratch.vigil(["replay", "rebuild", "--lanes", "0"])
        #expect(!noLanes.succeeded && noLanes.stderrText.contains("--lanes: expected a number"), "\(noLanes)")

        let head = try await scratch.eventCount()
        let past = try await scratch.vigil(["replay", "as-of", "recoveries", "--position", "\(head / 2)", "--json"])
        try #require(past.succeeded, "\(past)")
        let pastJSON = try JSON.object(past.stdoutText)
        #expect(pastJSON["position"] as? Int == head / 2)
        let known = try await scratch.vigil(["replay", "as-of", "case-board", "--recorded-at", "2026-01-03T00:00:00Z"])
        #expect(known.succeeded && known.stdoutText.contains("case board at 2026-01-03T00:00:00Z"), "\(known)")
        let oneCase = try await scratch.vigil([
            "replay", "as-of", "--case", "C-00000001", "--position", "\(head)", "--json",
        ])
        try #require(oneCase.succeeded, "\(oneCase)")
        #expect((try JSON.object(oneCase.stdoutText)["clocks"] as? [Any])?.isEmpty == false)
        let both = try await scratch.vigil(["replay", "as-of", "roster"])
        #expect(!both.succeeded && both.stderrText.contains("--position"), "\(both)")
    }

    @Test("vigil audit decisions and audit case")
    func audit() async throws {
        let scratch = try Scratch("audit")
        defer { scratch.remove() }
        try #require(try await scratch.vigil(["simulate", "--seed", "5", "--days", "5"]).succeeded)
        let decisions = try await scratch.vigil(["audit", "decisions", "--json", "--policy", "v2"])
        try #require(decisions.succeeded, "\(decisions)")
        let report = try JSON.object(decisions.stdoutText)
        #expect((report["decisions"] as? Int ?? 0) > 0 && report["decisions"] as? Int == report["reproduced"] as? Int)
        #expect((report["whatIf"] as? [String: Any])?["policyVersion"] as? Int == 2)
        let text = try await scratch.vigil(["audit", "decisions"])
        #expect(text.succeeded && text.stdoutText.contains("reproduced, 0 differ"), "\(text)")
        let badPolicy = try await scratch.vigil(["audit", "decisions", "--policy", "v9"])
        #expect(
            !badPolicy.succeeded && badPolicy.stderrText.contains("--policy: expected one of v1, v2"), "\(badPolicy)")

        let timeline = try await scratch.vigil(["audit", "case", "C-00000001"])
        #expect(timeline.succeeded && timeline.stdoutText.contains("chain: all"), "\(timeline)")
        #expect(timeline.stdoutText.contains("RQ-00000001-1"), "\(timeline)")
        let missing = try await scratch.vigil(["audit", "case", "C-99999999"])
        #expect(!missing.succeeded && missing.stderrText.contains("has no events"), "\(missing)")
        let badId = try await scratch.vigil(["audit", "case", "case-1"])
        #expect(!badId.succeeded && badId.stderrText.contains("CASE: expected a case id"), "\(badId)")
    }

    @Test("vigil bench replay: every stage over the whole log, digests equal, every decision reproduced")
    func bench() async throws {
        let scratch = try Scratch("bench-replay")
        defer { scratch.remove() }
        try #require(try await scratch.vigil(["simulate", "--seed", "5", "--days", "5"]).succeeded)
        let head = try await scratch.eventCount()
        let run = try await scratch.vigil(["bench", "replay", "--rounds", "1", "--cases", "3", "--json"])
        try #require(run.succeeded, "\(run)")
        let figures = try JSON.object(run.stdoutText)
        #expect(figures["events"] as? Int == head)
        #expect(figures["rebuild_digests_agree"] as? String == "yes")
        #expect(figures["as_of_lookups"] as? Int == 3)
        #expect((figures["audit_decisions"] as? Int ?? 0) > 0 && figures["audit_mismatches"] as? Int == 0)
        for key in ["scan_events_per_s", "decode_events_per_s", "fold_events_per_s", "rebuild_events_per_s"] {
            #expect((figures[key] as? Int ?? 0) > 0, "\(key)")
        }
        let text = try await scratch.vigil(["bench", "replay", "--rounds", "1", "--cases", "2"])
        #expect(text.succeeded && text.stdoutText.contains("(the baseline)"), "\(text)")
        let empty = try Scratch("bench-replay-empty")
        defer { empty.remove() }
        try #require(try await empty.vigil(["import", "-"], stdin: Data()).succeeded)
        let none = try await empty.vigil(["bench", "replay"])
        #expect(!none.succeeded && none.stderrText.contains("holds no events"), "\(none)")
        let badRounds = try await scratch.vigil(["bench", "replay", "--rounds", "0"])
        #expect(!badRounds.succeeded && badRounds.stderrText.contains("--rounds: expected 1 to 100"), "\(badRounds)")
    }
}
