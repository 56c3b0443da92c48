import Logging
import ServiceLifecycle
import VigilEngine

/// Holds the engine open while the daemon runs and closes it last: on graceful shutdown it waits
/// for the other services to stop (it is the first in the group, so the last to be told), then
/// drains the writer's queue and closes LMDB.
struct EngineService: Service {
    let engine: Engine
    let state: ServerState
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        state.beginShutdown()
        engine.close()
        logger.info("store closed", metadata: ["data": .string(engine.directory)])
    }
}
