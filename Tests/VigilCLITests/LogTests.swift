import Foundation
import Testing

@Suite("Log")
struct LogTests {
    @Test("log stat and log tail describe the store")
    func statAndTail() async throws {
        let scratch = try Scratch("log")
        defer { scratch.remove() }
        let lines = (1...12).map { n in
            var line = ImportLine(stream: "unit-E\(n % 3)")
            line.type = "Ping\(n)"
            line.data = #"{"n":\#(n)}"#
            return line.text
        }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("events.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        let exported = try await scratch.exportLines()

        let stat = try await scratch.stat()
        #expect(stat["events"] as? Int == 12)
        #expect(stat["streams"] as? Int == 3)
        #expect(stat["headPosition"] as? Int == 12)
        #expect(stat["headHash"] as? String == (try JSON.object(exported[11])["hash"] as? String))
        #expect(stat["format"] as? Int == 1)

        let tail = try await scratch.vigil(["log", "tail", "-n", "3", "--json"])
        #expect(tail.succeeded, "\(tail)")
        #expect(tail.completeStdoutLines == Array(exported.suffix(3)))

        let all = try await scratch.vigil(["log", "tail", "-n", "100", "--json"])
        #expect(all.completeStdoutLines == exported)

        let text = try await scratch.vigil(["log", "tail", "-n", "2"])
        #expect(text.succeeded, "\(text)")
        let summary = text.completeStdoutLines
        #expect(summary.count == 2)
        #expect(summary.first?.hasPrefix("#11  ") == true, "\(text)")
        #expect(summary.last?.contains("unit-E0@4  Ping12  user:dispatcher-7") == true, "\(text)")

        let none = try await scratch.vigil(["log", "tail", "-n", "0"])
        #expect(none.succeeded && none.stdout.isEmpty, "\(none)")

        // Export ranges and one stream.
        #expect(try await scratch.exportLines(["--from", "5", "--to", "7"]) == Array(exported[4...6]))
        let e1 = exported.filter { $0.contains(#""stream":"unit-E1""#) }
        #expect(try await scratch.exportLines(["--stream", "unit-E1"]) == e1)
        #expect(
            try await scratch.exportLines(["--stream", "unit-E1", "--from", "5"])
                == e1.filter {
                    (try? JSON.object($0)["position"] as? Int).flatMap { $0 }.map { $0 >= 5 } ?? false
                })
        let missing = try await scratch.vigil(["export", "--stream", "unit-E9", "-"])
        #expect(!missing.succeeded && missing.stderrText.contains("no stream named 'unit-E9'"), "\(missing)")
    }

    @Test("log tail --follow prints what another process appends, in order, without gaps")
    func follow() async throws {
        let scratch = try Scratch("follow")
        defer { scratch.remove() }
        let first = try await scratch.vigil([
            "import", "--raw", try scratch.write("a.ndjson", lines: [ImportLine(stream: "s").text]),
        ])
        try #require(first.succeeded, "\(first)")
        let follower = try scratch.start(["log", "tail", "-n", "1", "--follow", "--json"])
        defer { follower.kill() }
        // Wait until it has printed the last event and is following.
        for _ in 0..<100 where follower.stdoutSoFar.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let more = (0..<40).map { ImportLine(stream: "s-\($0 % 4)", id: UUID()).text }
        let imported = try await scratch.vigil([
            "import", "--raw", "--batch", "7", try scratch.write("b.ndjson", lines: more),
        ])
        try #require(imported.succeeded, "\(imported)")
        // Polling every 200 ms: give it up to 10 s to catch up.
        var positions: [Int] = []
        for _ in 0..<100 {
            let lines = String(decoding: follower.stdoutSoFar, as: UTF8.self).split(separator: "\n")
            positions = lines.compactMap { try? JSON.object($0)["position"] as? Int }
            if positions.count >= 41 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(positions == Array(1...41))
    }
}
