import Dispatch
import EventStore
import Logging
import ServiceLifecycle
import VigilEngine

/// Keeps the views for people (the case board, the roster, response times, …) current while the
/// daemon runs, and tells the live board's readers where they stand (``ServerState/views``).
///
/// At start-up it brings every view up to the log's head, rebuilding one whose stored version is
/// not the code's; the daemon reports ready only after that. Then, after each commit, it folds what
/// was appended — at most once per `interval`, so under load one pass folds many commits. Each pass
/// runs on a thread of its own: a view's batch is an LMDB write transaction, which is bound to its
/// thread and must not hold one of the task executor's few threads while a long rebuild runs.
struct ProjectionService: Service {
    let engine: Engine
    let state: ServerState
    let interval: Duration
    let logger: Logger

    private static let queue = DispatchQueue(label: "vigil.projections")

    func run() async throws {
        var position: UInt64 = 0
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                position = try await catchUp()
                state.views.advance(to: position)
                state.viewsFolded()
                if failing {
                    logger.notice("views current again", metadata: ["position": .stringConvertible(position)])
                }
                failing = false
            } catch {
                if !failing {
                    logger.error(
                        "views cannot be brought up to date; retrying", metadata: ["error": .string("\(error)")])
                }
                failing = true
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            // Wake on the next commit (or shutdown), then let commits gather for the rest of the interval.
            let folded = position
            _ = await Wakeup.first(timeout: .seconds(3600)) { await engine.store.waitForCommit(beyond: folded) }
            let next = started + interval
            if next > .now { try? await cancelWhenGracefulShutdown { try await Task.sleep(until: next) } }
        }
    }

    /// Folds the log up to its head now, on the projections' thread; returns that head.
    private func catchUp() async throws -> UInt64 {
        let engine = self.engine
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(
                    with: Result {
                        let head = try engine.store.head().position
                        try engine.projections.catchUp(through: head)
                        return head
                    })
            }
        }
    }
}
