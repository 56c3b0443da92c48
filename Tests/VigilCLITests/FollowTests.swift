import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("vigil follow: a read-only replica of a leader daemon")
struct FollowTests {
    @Test(
        "killing the follower and the leader mid-stream, several times each: no gap, no duplicate; both verify and hold the same chain"
    )
    func killEitherSide() async throws {
        let scratch = try Scratch("follow")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let key = scratch.path("county.key")
        try #require(try await VigilProcess.run(["checkpoint", "new-key", key], in: scratch.url).succeeded)
        let replicaToken = try await makeToken(scratch, role: "replica", name: "replica-1")
        let dispatcher = try await makeToken(scratch, role: "dispatcher", name: "dispatcher-7")
        let replica = scratch.path("replica")
        let port = try freePort()
        let leaderArguments = ["--port", "\(port)", "--checkpoint-key", key, "--checkpoint-every", "1"]
        var (leader, _) = try await startDaemon(scratch, leaderArguments)
        defer { leader.kill() }
        func startFollower() throws -> VigilProcess {
            try VigilProcess(
                [
                    "follow", "--leader", "http://127.0.0.1:\(port)", "--token", replicaToken, "--data", replica,
                    "--key",
                    key + ".pub",
                ], in: scratch.url)
        }
        var follower = try startFollower()
        defer { follower.kill() }
        // Commands keep coming while either side is killed; some fail while the leader is down.
        let stop = Mutex(false)
        let writer = Task {
            var n = 0
            while !stop.withLock({ $0 }) {
                _ = try? await request(
                    "POST", port, "/v1/commands/report-recovery", token: dispatcher, body: recoveryBody(n),
                    headers: ["Idempotency-Key": UUID().uuidString.lowercased()])
                n += 1
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_200, using: &rng)))
            follower.kill()
            _ = await follower.wait(timeout: .seconds(30))
            follower = try startFollower()
        }
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_200, using: &rng)))
            leader.kill()
            _ = await leader.wait(timeout: .seconds(30))
            (leader, _) = try await startDaemon(scratch, leaderArguments)
        }
        stop.withLock { $0 = true }
        await writer.value
        // The follower catches up with the leader (whose log no longer moves).
        var leaderHead = try await head(scratch, scratch.data)
        var replicaHead = try await head(scratch, replica)
        for _ in 0..<600 where replicaHead != leaderHead {
            try await Task.sleep(for: .milliseconds(100))
            leaderHead = try await head(scratch, scratch.data)
            replicaHead = try await head(scratch, replica)
        }
        #expect(replicaHead == leaderHead, "the replica stopped at \(replicaHead), the leader is at \(leaderHead)")
        follower.terminate()
        let followed = await follower.wait(timeout: .seconds(30))
        #expect(!followed.stderrText.contains("diverges"), "\(followed)")
        leader.terminate()
        #expect(await leader.wait(timeout: .seconds(60)).succeeded)
        for data in [scratch.data, replica] {
            let verify = try await VigilProcess.run(
                ["verify", "--data", data, "--key", key + ".pub"], in: scratch.url, timeout: .seconds(120))
            #expect(verify.succeeded, "\(verify)")
        }
        // Every record of the replica is the leader's, byte for byte, up to where the follower stopped
        // (the leader may have signed a checkpoint it copied after the heads were compared, and signs
        // one more as it stops).
        let copied = try await head(scratch, replica)
        #expect(copied.position >= replicaHead.position)
        let mine = try await VigilProcess.run(["export", "--data", replica, "-"], in: scratch.url)
        let theirs = try await VigilProcess.run(
            ["export", "--data", scratch.data, "--to", "\(copied.position)", "-"], in: scratch.url)
        #expect(mine.succeeded && theirs.succeeded)
        #expect(mine.stdout == theirs.stdout, "the replica's \(copied.position) records differ from the leader's")
    }

    @Test("a leader whose history differs is refused, naming the first differing position")
    func divergingLeader() async throws {
        let scratch = try Scratch("follow-diverge")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let replicaToken = try await makeToken(scratch, role: "replica", name: "replica-1")
        let replica = scratch.path("replica")
        let (leader, port) = try await startDaemon(scratch)
        defer { leader.kill() }
        let follower = try VigilProcess(
            ["follow", "--leader", "http://127.0.0.1:\(port)", "--token", replicaToken, "--data", replica],
            in: scratch.url)
        defer { follower.kill() }
        let leaderHead = try await head(scratch, scratch.data)
        var replicaHead = try await head(scratch, replica)
        for _ in 0..<600 where replicaHead.position < leaderHead.position {
            try await Task.sleep(for: .milliseconds(100))
            replicaHead = try await head(scratch, replica)
        }
        follower.terminate()
        _ = await follower.wait(timeout: .seconds(30))
        leader.terminate()
        _ = await leader.wait(timeout: .seconds(60))
        // Another history: the first 10 records, then one of its own.
        let other = scratch.path("other")
        let prefix = try await VigilProcess.run(
            ["export", "--data", scratch.data, "--to", "10", scratch.path("prefix.ndjson")], in: scratch.url)
        try #require(prefix.succeeded, "\(prefix)")
        let imported = try await VigilProcess.run(
            ["import", "--raw", "--data", other, scratch.path("prefix.ndjson")], in: scratch.url)
        try #require(imported.succeeded, "\(imported)")
        let own = try await VigilProcess.run(
            [
                "import", "--raw", "--data", other,
                try scratch.write("own.ndjson", lines: [ImportLine(stream: "s-9").text]),
            ],
            in: scratch.url)
        try #require(own.succeeded, "\(own)")
        let otherToken = try await VigilProcess.run(
            ["token", "create", "--data", other, "--role", "replica", "--name", "replica-1"], in: scratch.url)
        let token = otherToken.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let otherLeader = try VigilProcess(["serve", "--data", other, "--port", "0"], in: scratch.url)
        defer { otherLeader.kill() }
        let otherPort = try #require(try await listeningPort(otherLeader))
        let refused = try await VigilProcess.run(
            ["follow", "--leader", "http://127.0.0.1:\(otherPort)", "--token", token, "--data", replica],
            in: scratch.url, timeout: .seconds(60))
        #expect(
            refused.status == 2 && refused.stderrText.contains("the first differing position is 11"), "\(refused)")
        #expect(try await head(scratch, replica) == replicaHead, "the replica is left as it was")
    }
}
