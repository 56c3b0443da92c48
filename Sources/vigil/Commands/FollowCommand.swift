import ArgumentParser
import Foundation
import Trust
import VigilEngine

/// `vigil follow`: a read-only replica of a leader's log, kept current over its event stream.
struct FollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Keep a replica of a leader daemon's log current, verifying the chain and the checkpoints.",
        discussion: """
            Tails the leader's GET /v1/events/stream into DIR (created on first run), each record at its \
            own position with its recordedAt and chain hash, refused unless it continues the replica's \
            chain: no gap, no duplicate, no altered record. After a restart or a lost connection it \
            resumes after its own head (reconnecting with a growing pause, at most 10 s). Before tailing \
            it proves the leader holds the replica's history, or names the first position where they \
            differ and exits 2. With --key, every CheckpointSigned record must verify as it arrives \
            (exit 2 otherwise). The token must see every record: an auditor's. The replica's views are \
            kept current, for 'vigil serve --read-only' (or any read-only command) beside it. SIGTERM or \
            SIGINT stops it; every record written is durable.
            """
    )

    @OptionGroup var store: DataOptions

    @Option(help: ArgumentHelp("The leader daemon's base URL.", valueName: "URL"))
    var leader: String

    @Option(help: ArgumentHelp("A bearer token of the leader (an auditor's).", valueName: "T"))
    var token: String

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp("The county's checkpoint public key: check every checkpoint (repeatable).", valueName: "PUB")
    )
    var keys: [String] = []

    func validate() throws {
        guard let url = URL(string: leader), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--leader: expected an http:// or https:// URL, got \(leader)")
        }
        guard !token.isEmpty else { throw ValidationError("--token: expected a bearer token") }
    }

    func run() async throws {
        let verifier = keys.isEmpty ? nil : CheckpointVerifier(keys: try loadPublicKeys(keys))
        if verifier == nil { printError("follow: no --key: checkpoints are copied but not checked") }
        let engine = try store.engine()
        defer { engine.close() }
        let follower = Follower(
            engine: engine, leader: LeaderClient(base: URL(string: leader)!, token: token), verifier: verifier)
        var pause: Duration = .milliseconds(250)
        while !Task.isCancelled {
            do {
                try await follower.tail { progress in
                    switch progress {
                    case .connected(let after, let leaderHead):
                        printError("follow: following \(leader) after position \(after) (leader's head \(leaderHead))")
                    case .applied(let through, let events, let lag):
                        printError(
                            "follow: \(events) records written, head \(through), \(Int((lag * 1000).rounded())) ms behind the leader"
                        )
                    case .checkpoint(let c):
                        printError("follow: checkpoint at \(c.position) verifies: signs \(c.signs), key \(c.keyId)")
                    }
                }
                pause = .milliseconds(250)
                printError("follow: the leader ended the stream; reconnecting")
            } catch let error as TrustError where error.code == .diverged || error.code == .checkpoint {
                printError("follow: \(error)")
                throw ExitCode(2)
            } catch let error as TrustError where error.code == .leader {
                throw CLIError("--leader: \(error)")
            } catch {
                printError("follow: connection to \(leader) lost (\(error)); reconnecting in \(pause)")
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
                continue
            }
            try await Task.sleep(for: pause)
        }
    }
}
