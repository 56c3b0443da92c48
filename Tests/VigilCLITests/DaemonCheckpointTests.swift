import Foundation
import Testing

/// `vigil serve --checkpoint-key FILE --checkpoint-every SECONDS`: the daemon signs the log's head on
/// a schedule and once as it stops.
@Suite("The daemon's signed checkpoints")
struct DaemonCheckpointTests {
    /// A county key pair in `scratch`: (private, public).
    func countyKey(_ scratch: Scratch) async throws -> (String, String) {
        let key = scratch.path("county.key")
        let made = try await VigilProcess.run(["checkpoint", "new-key", key], in: scratch.url)
        try #require(made.succeeded, "\(made)")
        return (key, key + ".pub")
    }

    @Test("the daemon signs checkpoints while commands come and once at shutdown; verify --key proves the log")
    func scheduled() async throws {
        let scratch = try Scratch("serve-checkpoints")
        defer { scratch.remove() }
        let (key, pub) = try await countyKey(scratch)
        try await scratch.setupCounty()
        let token = try await makeToken(scratch, role: "dispatcher", name: "dispatcher-7")
        let (daemon, port) = try await startDaemon(scratch, ["--checkpoint-key", key, "--checkpoint-every", "1"])
        defer { daemon.kill() }
        for n in 0..<3 {
            let command = try await request(
                "POST", port, "/v1/commands/report-recovery", token: token, body: recoveryBody(n))
            #expect(command.status == 201, "\(command.body)")
            try await Task.sleep(for: .milliseconds(1_500))
        }
        let last = try await request(
            "POST", port, "/v1/commands/report-recovery", token: token, body: recoveryBody(3))
        #expect(last.status == 201, "\(last.body)")
        daemon.terminate()
        let stopped = await daemon.wait(timeout: .seconds(60))
        #expect(stopped.succeeded, "\(stopped)")
        #expect(stopped.stderrText.contains(#""message":"checkpoint signed""#))

        let list = try await scratch.vigil(["checkpoint", "list", "--key", pub])
        #expect(list.succeeded, "\(list)")
        let checkpoints = list.stdoutText.split(separator: "\n").filter { $0.contains(" signs ") }
        #expect(checkpoints.count >= 3, "\(list.stdoutText)")
        #expect(checkpoints.allSatisfy { $0.hasSuffix("  ok") }, "\(list.stdoutText)")
        // The last event is the checkpoint signed at shutdown, after the last command.
        let tail = try await scratch.vigil(["log", "tail", "-n", "1", "--json"])
        #expect(tail.stdoutText.contains(#""type":"CheckpointSigned""#), "\(tail)")
        let verify = try await scratch.vigil(["verify", "--key", pub])
        #expect(verify.succeeded, "\(verify)")

        // A daemon that starts and stops with nothing new appends no second checkpoint.
        let events = try await scratch.eventCount()
        let (idle, _) = try await startDaemon(scratch, ["--checkpoint-key", key])
        defer { idle.kill() }
        idle.terminate()
        #expect(await idle.wait(timeout: .seconds(60)).succeeded)
        #expect(try await scratch.eventCount() == events)
    }

    @Test("a checkpoint key that cannot sign refuses the start, naming --checkpoint-key; nothing is written")
    func badKeys() async throws {
        let scratch = try Scratch("serve-checkpoint-keys")
        defer { scratch.remove() }
        let (key, pub) = try await countyKey(scratch)
        func refused(_ arguments: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation)
            async throws
        {
            let run = try await VigilProcess.run(
                ["serve", "--data", scratch.data, "--port", "0"] + arguments, in: scratch.url, timeout: .seconds(60))
            #expect(run.status != 0 && run.stderrText.contains(expected), "\(run)", sourceLocation: sourceLocation)
            #expect(!run.stderrText.contains(#""message":"listening""#), sourceLocation: sourceLocation)
        }
        try await refused(["--checkpoint-key", scratch.path("missing.key")], "--checkpoint-key")
        try await refused(["--checkpoint-key", pub], "--checkpoint-key")
        try await refused(["--checkpoint-every", "5"], "--checkpoint-every goes with --checkpoint-key")
        try await refused(["--checkpoint-key", key, "--checkpoint-every", "0"], "--checkpoint-every")
        chmod(key, 0o644)
        try await refused(["--checkpoint-key", key], "--checkpoint-key")
        #expect(!FileManager.default.fileExists(atPath: scratch.data + "/data.mdb"), "no store was made")
        chmod(key, 0o600)
        // A key kept inside the data directory: every copy of the data would carry it.
        let store = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s-0").text]),
        ])
        try #require(store.succeeded, "\(store)")
        let inside = scratch.data + "/county.key"
        try FileManager.default.copyItem(atPath: key, toPath: inside)
        chmod(inside, 0o600)
        let events = try await scratch.eventCount()
        try await refused(["--checkpoint-key", inside], "inside the data directory")
        #expect(try await scratch.eventCount() == events)
    }
}
