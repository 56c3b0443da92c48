import Foundation
import Testing

/// The acknowledged commands of a load, in the order their answers came.
private actor Acknowledged {
    private(set) var eventIds: [String] = []
    private(set) var commands = 0
    private(set) var failures: [String] = []
    private(set) var stopped = false

    func record(_ body: String) throws {
        let events = try JSON.object(body)["events"] as? [[String: Any]] ?? []
        eventIds += events.compactMap { $0["id"] as? String }
        commands += 1
    }

    func fail(_ what: String) { failures.append(what) }
    func stop() { stopped = true }
}

/// `vigil backup` beside the daemon taking commands: readers never wait for the writer, so the copy
/// is taken while commands keep being acknowledged; everything acknowledged before it began is in it.
@Suite("Backup under the daemon's write load")
struct DaemonBackupTests {
    /// Posts `report-recovery` commands until told to stop, each with its own Idempotency-Key and
    /// retried with the same key on a transport error (a retry is answered with the first answer).
    private static func writer(_ number: Int, port: Int, token: String, into load: Acknowledged) async {
        var n = number
        while !(await load.stopped) {
            let key = UUID().uuidString.lowercased()
            var answered = false
            for _ in 0..<3 where !answered {
                guard
                    let answer = try? await request(
                        "POST", port, "/v1/commands/report-recovery", token: token, body: recoveryBody(n),
                        headers: ["Idempotency-Key": key])
                else { continue }
                answered = true
                if answer.status == 201 || answer.status == 200 {
                    do { try await load.record(answer.body) } catch { await load.fail("\(error)") }
                } else {
                    await load.fail("\(answer.status) \(answer.body)")
                }
            }
            if !answered { await load.fail("command \(n): no answer after three tries") }
            n += 100
        }
    }

    @Test(
        "a backup taken while the daemon takes commands holds every event acknowledged before it began; it restores, verifies and its checkpoints check out"
    )
    func backupUnderDaemonLoad() async throws {
        let scratch = try Scratch("backup-daemon-load")
        defer { scratch.remove() }
        let key = scratch.path("county.key")
        let made = try await VigilProcess.run(["checkpoint", "new-key", key], in: scratch.url)
        try #require(made.succeeded, "\(made)")
        try await scratch.setupCounty()
        let token = try await makeToken(scratch, role: "dispatcher", name: "dispatcher-7")
        let (daemon, port) = try await startDaemon(scratch, ["--checkpoint-key", key, "--checkpoint-every", "1"])
        defer { daemon.kill() }
        let load = Acknowledged()
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for w in 0..<4 { group.addTask { await Self.writer(w, port: port, token: token, into: load) } }
            }
        }
        for _ in 0..<1_200 where await load.commands < 100 { try await Task.sleep(for: .milliseconds(50)) }
        let before = await load.eventIds
        let commandsBefore = await load.commands
        try #require(commandsBefore >= 100, "the daemon acknowledged \(commandsBefore) commands")

        let backup = try await scratch.vigil(["backup", scratch.path("backup")], timeout: .seconds(300))
        let commandsDuring = await load.commands - commandsBefore
        await load.stop()
        await writers.value
        #expect(backup.succeeded, "\(backup)")
        let failures = await load.failures
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        daemon.terminate()
        #expect(await daemon.wait(timeout: .seconds(60)).succeeded)

        let target = scratch.path("restored")
        let restored = try await VigilProcess.run(
            ["restore", scratch.path("backup"), "--data", target, "--key", key + ".pub"], in: scratch.url,
            timeout: .seconds(300))
        #expect(restored.succeeded && restored.stdoutText.contains("verif"), "\(restored)")
        let exported = try await VigilProcess.run(
            ["export", "--data", target, "-"], in: scratch.url, timeout: .seconds(120))
        try #require(exported.succeeded, "\(exported)")
        let restoredIds = Set(
            try exported.stdoutText.split(separator: "\n").map { try JSON.object($0)["id"] as? String ?? "" })
        let missing = before.filter { !restoredIds.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) of \(before.count) acknowledged events are missing")
        #expect(commandsDuring > 0, "the daemon took no command while the backup ran: not a test under load")
        let verify = try await VigilProcess.run(["verify", "--data", target, "--key", key + ".pub"], in: scratch.url)
        #expect(verify.succeeded, "\(verify)")
    }
}
