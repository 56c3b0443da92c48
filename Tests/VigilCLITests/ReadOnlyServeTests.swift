import Foundation
import Testing

/// Waits (at most `tries` × 100 ms) until `done` holds.
private func eventually(_ tries: Int = 600, _ done: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<tries {
        if try await done() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await done()
}

/// The JSON access records of the store in `data` (`vigil audit access --json`).
private func accessRecords(_ scratch: Scratch, _ data: String) async throws -> [[String: Any]] {
    let shown = try await VigilProcess.run(["audit", "access", "--data", data, "--json"], in: scratch.url)
    try #require(shown.succeeded, "\(shown)")
    return try shown.stdoutText.split(separator: "\n").map { try JSON.object(String($0)) }
}

@Suite("vigil serve --read-only: a follower's replica served beside vigil follow")
struct ReadOnlyServeTests {
    @Test(
        "a leader, a follower and a read-only server: the leader's commands are seen there, its own commands get 503 naming the leader and write nothing, its reads go to its access store"
    )
    func leaderFollowerReadOnly() async throws {
        let scratch = try Scratch("read-only")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let replicaToken = try await makeToken(scratch, role: "replica", name: "replica-1")
        let dispatcher = try await makeToken(scratch, role: "dispatcher", name: "dispatcher-7")
        let (leader, leaderPort) = try await startDaemon(scratch)
        defer { leader.kill() }
        let leaderURL = "http://127.0.0.1:\(leaderPort)"
        // The replica role reads the log whole (access records included) and nothing else.
        #expect(try await request("GET", leaderPort, "/v1/views/case-board", token: replicaToken).status == 403)
        #expect(try await request("GET", leaderPort, "/v1/audit/access", token: replicaToken).status == 403)
        let page = try await request("GET", leaderPort, "/v1/events?limit=1000", token: replicaToken)
        #expect(page.status == 200 && page.body.contains(#""stream":"access""#), "status \(page.status)")

        let replica = scratch.path("replica")
        let follower = try VigilProcess(
            ["follow", "--leader", leaderURL, "--token", replicaToken, "--data", replica], in: scratch.url)
        defer { follower.kill() }
        #expect(
            try await eventually {
                guard FileManager.default.fileExists(atPath: replica + "/data.mdb") else { return false }
                return try await head(scratch, replica).position == head(scratch, scratch.data).position
            }, "the follower did not catch up")
        // The read-only server's own tokens, in the replica's directory.
        let readerToken = try await VigilProcess.run(
            ["token", "create", "--data", replica, "--role", "dispatcher", "--name", "dispatcher-8"], in: scratch.url)
        try #require(readerToken.succeeded, "\(readerToken)")
        let reader = readerToken.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let accessData = scratch.path("replica-access")
        let server = try VigilProcess(
            [
                "serve", "--data", replica, "--port", "0", "--read-only", "--leader", leaderURL, "--access-data",
                accessData,
            ], in: scratch.url)
        defer { server.kill() }
        let port = try #require(
            try await listeningPort(server), "\(String(decoding: server.stderrSoFar, as: UTF8.self))")
        #expect(try await eventually { try await request("GET", port, "/readyz").status == 200 })

        // A command on the leader becomes visible on the read-only server.
        let posted = try await request(
            "POST", leaderPort, "/v1/commands/report-recovery", token: dispatcher, body: recoveryBody(1))
        #expect(posted.status == 201, "\(posted)")
        #expect(
            try await eventually {
                try await request("GET", port, "/v1/cases/C-LOAD00000001", token: reader).status == 200
            },
            "the leader's case never reached the read-only server")
        let board = try await request("GET", port, "/v1/views/case-board", token: reader)
        #expect(board.status == 200 && board.body.contains("C-LOAD00000001"), "\(board)")

        // A command posted to the read-only server: 503 naming the leader, nothing written anywhere.
        let replicaBefore = try await head(scratch, replica)
        let leaderBefore = try await head(scratch, scratch.data)
        let refused = try await request(
            "POST", port, "/v1/commands/report-recovery", token: reader, body: recoveryBody(2))
        #expect(refused.status == 503, "\(refused)")
        let problem = try JSON.object(refused.body)
        #expect(problem["type"] as? String == "urn:vigil:problem:read-only-replica")
        #expect(problem["leader"] as? String == leaderURL)
        #expect((problem["detail"] as? String)?.contains(leaderURL) == true, "\(problem)")
        #expect(try await request("GET", port, "/v1/cases/C-LOAD00000002", token: reader).status == 404)
        #expect(try await head(scratch, replica) == replicaBefore)
        #expect(try await head(scratch, scratch.data) == leaderBefore)

        server.terminate()
        #expect(await server.wait(timeout: .seconds(60)).succeeded)
        follower.terminate()
        _ = await follower.wait(timeout: .seconds(30))
        leader.terminate()
        #expect(await leader.wait(timeout: .seconds(60)).succeeded)

        // Its reads are in its access store, which verifies; the replica holds the leader's only.
        let served = try await accessRecords(scratch, accessData)
        let caseReads = served.filter {
            ($0["record"] as? [String: Any])?["caseId"] as? String == "C-LOAD00000001"
        }
        #expect(
            !caseReads.isEmpty && caseReads.allSatisfy { $0["actor"] as? String == "user:dispatcher-8" }, "\(served)")
        let verified = try await VigilProcess.run(["verify", "--data", accessData], in: scratch.url)
        #expect(verified.succeeded, "\(verified)")
        // The leader recorded the follower's token by its role, its refusals too.
        let leaderRecords = try await accessRecords(scratch, scratch.data)
        #expect(
            leaderRecords.contains {
                let record = $0["record"] as? [String: Any]
                return record?["role"] as? String == "replica" && record?["outcome"] as? String == "refused"
            })
        let copied = try await accessRecords(scratch, replica)
        #expect(!copied.contains { $0["actor"] as? String == "user:dispatcher-8" })
        #expect(try await VigilProcess.run(["verify", "--data", replica], in: scratch.url).succeeded)
        let mine = try await VigilProcess.run(["export", "--data", replica, "-"], in: scratch.url)
        let theirs = try await VigilProcess.run(
            ["export", "--data", scratch.data, "--to", "\(try await head(scratch, replica).position)", "-"],
            in: scratch.url)
        #expect(mine.succeeded && mine.stdout == theirs.stdout, "the replica is the leader's log, byte for byte")
    }

    @Test("bad --read-only options are refused by name, and nothing is written")
    func badOptions() async throws {
        let scratch = try Scratch("read-only-options")
        defer { scratch.remove() }
        try await scratch.setupCounty()
        let replica = scratch.data
        let cases: [([String], String)] = [
            (["--read-only", "--access-data", scratch.path("a")], "--leader"),
            (["--read-only", "--leader", "http://127.0.0.1:1"], "--access-data"),
            (["--read-only", "--leader", "leader.example", "--access-data", scratch.path("a")], "--leader"),
            (["--leader", "http://127.0.0.1:1"], "--leader goes with --read-only"),
            (
                [
                    "--read-only", "--leader", "http://127.0.0.1:1", "--access-data", scratch.path("a"), "--key-file",
                    "k",
                ],
                "--key-file"
            ),
            (["--read-only", "--leader", "http://127.0.0.1:1", "--access-data", replica + "/access"], "--access-data"),
        ]
        let before = try await head(scratch, replica)
        for (arguments, named) in cases {
            let run = try await VigilProcess.run(
                ["serve", "--data", replica, "--port", "0"] + arguments, in: scratch.url, timeout: .seconds(60))
            #expect(!run.succeeded && run.stderrText.contains(named), "\(arguments): \(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: replica + "/access"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("a")))
        #expect(try await head(scratch, replica) == before)
        let missing = try await VigilProcess.run(
            [
                "serve", "--data", scratch.path("none"), "--port", "0", "--read-only", "--leader", "http://127.0.0.1:1",
                "--access-data", scratch.path("a"),
            ], in: scratch.url, timeout: .seconds(60))
        #expect(!missing.succeeded && missing.stderrText.contains("no Vigil store"), "\(missing)")
    }
}
