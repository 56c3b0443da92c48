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
}
