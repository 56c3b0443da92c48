import Logging
import ServiceLifecycle
import Trust
import VigilEngine

/// Signs the log's chain head on a schedule (``CheckpointSchedule``): every interval, and once more
/// when the daemon stops, a `CheckpointSigned` event is appended through the engine's writer like any
/// other — unless the log already ends with one. A copy of the log taken at any moment (a backup, a
/// follower) is then proven the county's up to at most one interval before.
///
/// It is added right after the engine's service, so on shutdown it stops after every other service
/// (the HTTP server, the timer loop, a live simulation) and before the engine closes the store: its
/// last checkpoint signs the log as the daemon leaves it.
struct CheckpointService: Service {
    let engine: Engine
    let schedule: CheckpointSchedule
    let clock: ServerClock
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await sign()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: schedule.interval) }
        }
        await sign()
    }

    private func sign() async {
        do {
            let outcome = try await CheckpointSigner.sign(engine.store, key: schedule.key, now: clock.now())
            if case .signed(let position, let statement, let keyId) = outcome {
                logger.info(
                    "checkpoint signed",
                    metadata: [
                        "position": .stringConvertible(position), "signs": .stringConvertible(statement.position),
                        "chainHash": .string(statement.chainHashHex), "keyId": .string(keyId),
                    ])
            }
        } catch {
            logger.error(
                "checkpoint not signed; retrying at the next interval", metadata: ["error": .string("\(error)")])
        }
    }
}
