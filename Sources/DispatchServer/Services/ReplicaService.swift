import EventStore
import Logging
import ServiceLifecycle
import VigilEngine

/// A read-only daemon's only service besides the engine: it reads the replica's head and its
/// views' position every `interval`, so the event streams and the live board see what the follower
/// (another process) appended and folded, and it closes the access store when the daemon stops.
///
/// Ready (`/readyz`) once the replica's head and views have been read, and not while they cannot
/// be: a replica has no timers to fire and folds nothing itself.
struct ReplicaService: Service {
    let engine: Engine
    let accessStore: EventStore
    let state: ServerState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let head = try engine.store.observeHead()
                let views = try engine.projections.read { $0.position }
                state.views.advance(to: views)
                state.replicaRead()
                if failing {
                    logger.notice(
                        "replica readable again",
                        metadata: ["head": .stringConvertible(head), "views": .stringConvertible(views)])
                }
                failing = false
            } catch {
                if !failing {
                    logger.error("the replica cannot be read; retrying", metadata: ["error": .string("\(error)")])
                }
                failing = true
                state.replicaUnreadable("\(error)")
            }
            try? await Task.sleep(for: interval)
        }
        accessStore.close()
        logger.info("access store closed")
    }
}
