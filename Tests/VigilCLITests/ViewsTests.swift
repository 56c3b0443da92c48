import Foundation
import Testing

@Suite("Views")
struct ViewsTests {
    @Test("vigil views: list, update, show each view as text and JSON; bad names and times are refused")
    func views() async throws {
        let scratch = try Scratch("views")
        defer { scratch.remove() }
        let simulated = try await scratch.vigil(["simulate", "--seed", "3", "--days", "6"])
        try #require(simulated.succeeded, "\(simulated)")

        let before = try JSON.object(try await scratch.vigil(["views", "list", "--json"]).stdoutText)
        let projections = try #require(before["projections"] as? [[String: Any]])
        #expect(projections.allSatisfy { $0["storedVersion"] == nil }, "nothing stored before the first update")
        let names = (before["views"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(
            names == ["case-board", "response-times", "milestones", "recoveries", "arrests", "training", "roster"])

        let board = try await scratch.vigil(["views", "show", "case-board", "--json"])
        try #require(board.succeeded, "\(board)")
        let boardJSON = try JSON.object(board.stdoutText)
        #expect(boardJSON["lag"] as? Int == 0)
        #expect((boardJSON["cases"] as? [Any])?.isEmpty == false)

        let after = try JSON.object(try await scratch.vigil(["views", "list", "--json"]).stdoutText)
        let stored = try #require(after["projections"] as? [[String: Any]])
        let head = try await scratch.eventCount()
        #expect(stored.allSatisfy { ($0["checkpoint"] as? Int) == head }, "show brought every view up to date")

        let times = try await scratch.vigil([
            "views", "show", "response-times", "--json", "--level", "ADVOCATE-ON-SCENE",
        ])
        try #require(times.succeeded, "\(times)")
        let levels = try #require(try JSON.object(times.stdoutText)["levels"] as? [[String: Any]])
        #expect(levels.count == 1)
        let overall = try #require(levels.first?["overall"] as? [String: Any])
        #expect((overall["n"] as? Int ?? 0) > 0 && overall["p90Seconds"] is Int)

        let text = try await scratch.vigil(["views", "show", "response-times", "--no-update"])
        #expect(text.succeeded && text.stdoutText.contains("ADVOCATE-ON-SCENE: n "), "\(text)")
        let roster = try await scratch.vigil(["views", "show", "roster", "--now", "2026-01-03T12:00:00Z"])
        #expect(roster.succeeded && roster.stdoutText.contains("on shift"), "\(roster)")

        for view in ["milestones", "recoveries", "arrests", "training"] {
            let shown = try await scratch.vigil(["views", "show", view, "--json", "--from", "2026-01-01"])
            #expect(shown.succeeded, "\(shown)")
            #expect(try JSON.object(shown.stdoutText)["position"] as? Int == head, "\(view)")
        }
        let recoveries = try JSON.object(try await scratch.vigil(["views", "show", "recoveries", "--json"]).stdoutText)
        #expect((recoveries["recoveries"] as? Int ?? 0) > 0 && recoveries["uniqueYouth"] is Int)

        let unknown = try await scratch.vigil(["views", "show", "nonsense"])
        #expect(!unknown.succeeded && unknown.stderrText.contains("NAME: expected one of case-board"), "\(unknown)")
        let badTime = try await scratch.vigil(["views", "show", "roster", "--now", "yesterday"])
        #expect(!badTime.succeeded && badTime.stderrText.contains("--now: expected an RFC 3339 time"), "\(badTime)")
        let badLevel = try await scratch.vigil(["views", "show", "response-times", "--level", "FAST"])
        #expect(!badLevel.succeeded && badLevel.stderrText.contains("--level: expected one of"), "\(badLevel)")
    }
}
