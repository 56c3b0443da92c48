import EventStore
import FirstResponder
import Logging
import ServiceLifecycle
import VigilEngine

/// Follows the log from its head at start-up and counts what is appended, by event type
/// (`vigil_events_total{type}`) and, for `SLABreached`, by clock (`vigil_sla_breaches_total{clock}`):
/// the breaches an alert pages on, whichever path appended them (a command, the timer loop).
struct LogMetricsService: Service {
    let engine: Engine
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let start = try engine.store.head().position
        try await runUntilGracefulShutdown {
            for try await event in engine.store.subscribe(after: start) {
                metrics.appended(type: event.type)
                if event.type == SLABreached.eventType, let breach = try? EventCatalog.decode(event) as? SLABreached {
                    metrics.breached(clock: breach.slaId.rawValue)
                }
            }
        }
    }
}
