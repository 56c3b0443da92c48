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
}
