import Foundation
import Testing

@Suite("Bench")
struct BenchTests {
    /// The view totals `bench fold` and `bench streams` print, which scripts/bench-peers compares
    /// with every peer's.
    private func viewTotals(_ object: [String: Any]) -> [Int] {
        ["view_streams", "view_events", "view_version_sum", "view_payload_bytes"].map { object[$0] as? Int ?? -1 }
    }

    @Test("bench fold and bench streams read back exactly what bench append wrote")
    func replayAndStreams() async throws {
        let scratch = try Scratch("bench")
        defer { scratch.remove() }
        // 7 streams, 200 events: streams 0-4 get 29 events, 5 and 6 get 28 (every round gives each one more).
        let append = try await scratch.vigil([
            "bench", "append", "--events", "200", "--streams", "7", "--payload", "10", "--batch", "30", "--json",
        ])
        try #require(append.succeeded, "\(append)")
        #expect(try JSON.object(append.stdoutText)["events"] as? Int == 200)
        // The binary links jemalloc, and it serves malloc: a build where glibc's did would say "system malloc".
        let allocator = try JSON.object(append.stdoutText)["allocator"] as? String
        #expect(allocator?.hasPrefix("jemalloc 5.") == true, "\(allocator ?? "no allocator")")

        let replay = try await scratch.vigil(["bench", "fold", "--json"])
        try #require(replay.succeeded, "\(replay)")
        let replayed = try JSON.object(replay.stdoutText)
        #expect(replayed["events"] as? Int == 200)
        #expect(viewTotals(replayed) == [7, 200, 200, 2_000])

        let streams = try await scratch.vigil(["bench", "streams", "--streams", "9", "--json"])
        try #require(streams.succeeded, "\(streams)")
        let read = try JSON.object(streams.stdoutText)
        #expect(read["events"] as? Int == 200)
        // stream-7 and stream-8 do not exist: they are empty, not an error.
        #expect(viewTotals(read) == [7, 200, 200, 2_000])

        let bad = try await scratch.vigil(["bench", "streams", "--streams", "0"])
        #expect(!bad.succeeded)
        #expect(bad.stderrText.contains("--streams: expected 1 or more, got 0"), "\(bad)")
    }

    @Test("bench load --attach refuses what it cannot use, naming the option, before sending anything")
    func attachBadInput() async throws {
        let scratch = try Scratch("bench-attach")
        defer { scratch.remove() }
        let wrongToken = try scratch.write("tokens.json", lines: [#"{"supervisor": 3, "dispatcher": "d"}"#])
        let noDispatcher = try scratch.write("partial.json", lines: [#"{"supervisor": "s"}"#])
        let cases: [([String], String)] = [
            (["--tokens", wrongToken], "--tokens and --acknowledged go with --attach"),
            (["--attach", "70000", "--tokens", wrongToken], "--attach: expected a port from 1 to 65535, got 70000"),
            (["--attach", "5000"], "--attach needs --tokens FILE"),
            (
                ["--attach", "5000", "--tokens", wrongToken, "--kill-after", "1"],
                "--kill-after, --work, --unacknowledged and --daemon-log-level"
            ),
            (["--attach", "5000", "--tokens", scratch.path("absent.json")], "--tokens: cannot read"),
            (["--attach", "5000", "--tokens", wrongToken], #""supervisor": expected a token (a non-empty string)"#),
            (["--attach", "5000", "--tokens", noDispatcher], #"expected "supervisor" and "dispatcher" tokens"#),
        ]
        for (arguments, message) in cases {
            // No --data: an attached load has no data directory of its own.
            let run = try await VigilProcess.run(["bench", "load", "--duration", "2"] + arguments, in: scratch.url)
            #expect(!run.succeeded)
            #expect(run.stderrText.contains(message), "\(arguments): \(run)")
        }
    }
}
