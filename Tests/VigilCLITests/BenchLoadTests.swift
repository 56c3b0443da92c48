import Foundation
import Testing

@Suite("vigil bench load")
struct BenchLoadTests {
    @Test(
        "--daemon-log-level info runs the daemon as deployed, a JSON line per request in the work directory's log; an unknown level is refused by name"
    )
    func daemonLogLevel() async throws {
        let scratch = try Scratch("bench-load")
        defer { scratch.remove() }
        let work = scratch.path("run")
        let run = try await VigilProcess(
            [
                "bench", "load", "--clients", "2", "--max-commands", "30", "--duration", "30", "--daemon-log-level",
                "info", "--work", work, "--json",
            ], in: scratch.url
        ).wait(timeout: .seconds(240))
        #expect(run.succeeded, "\(run)")
        let result = try JSON.object(run.stdoutText)
        #expect(result["errors"] as? Int == 0)
        #expect(result["verify"] as? String == "ok")
        let log = try String(contentsOfFile: work + "/serve.log", encoding: .utf8)
        let commands = log.split(separator: "\n").filter {
            $0.hasPrefix("{") && $0.contains(#""message":"request""#)
                && $0.contains(#""route":"/v1/commands/{command}""#)
        }
        #expect(commands.count >= 30, "\(log.prefix(2_000))")

        let bad = try await VigilProcess(
            ["bench", "load", "--daemon-log-level", "loud", "--work", scratch.path("bad")], in: scratch.url
        ).wait()
        #expect(!bad.succeeded)
        #expect(
            bad.stderrText.contains(
                "--daemon-log-level: expected one of trace, debug, info, notice, warning, error, critical, got loud"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("bad")), "nothing was started")
    }

    @Test(
        "--rate paces the desks on a fixed schedule (open loop): no more cases start than are due, every acknowledged event is in the log; a rate out of bounds is refused by name"
    )
    func openLoop() async throws {
        let scratch = try Scratch("bench-load-rate")
        defer { scratch.remove() }
        // 2 desks at 20 commands/s: a case (7 commands) every 0.7 s per desk, desk 1 0.35 s after
        // desk 0; in 5 s 8 + 7 cases are due, so at most 105 commands — a closed loop sends many more.
        let run = try await VigilProcess(
            ["bench", "load", "--clients", "2", "--rate", "20", "--duration", "5", "--json"], in: scratch.url
        ).wait(timeout: .seconds(240))
        #expect(run.succeeded, "\(run)")
        let result = try JSON.object(run.stdoutText)
        #expect(result["offered_per_s"] as? Double == 20)
        #expect(result["errors"] as? Int == 0)
        #expect(result["missing_events"] as? Int == 0)
        #expect(result["verify"] as? String == "ok")
        let commands = try #require(result["commands"] as? Int)
        #expect(commands > 0 && commands <= 105, "\(commands) commands")
        // Every commit rewrites at least a leaf page and a meta page of the store (4 KiB each), and
        // at 20 commands/s nearly every command is a commit of its own.
        let written = try #require(result["daemon_written_kib_per_command"] as? Double)
        #expect(written > 4, "\(written) KiB written per command")

        for bad in ["0", "100001", "fast"] {
            let refused = try await VigilProcess(
                ["bench", "load", "--rate", bad, "--work", scratch.path("bad")], in: scratch.url
            ).wait()
            #expect(!refused.succeeded)
            #expect(refused.stderrText.contains("--rate"), "\(refused.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("bad")), "nothing was started")
        }
    }
}
