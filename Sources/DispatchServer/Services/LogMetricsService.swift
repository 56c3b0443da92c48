import EventStore
import FirstResponder
import Logging
import ServiceLifecycle
import VigilEngine

/// Follows the log from its head at start-up and counts what is appended, by event type
/// (`vigil_events_total{type}`) and, for `SLABreached`, by clock (`vigil_sla_breaches_total{clock}`):
/// the breaches an alert pages on, whichever path appended them (a command, the timer loop).
///
/// Each wake-up reads what was committed since in place (the records' types, not copies of the
/// events: only a breach is decoded) and adds to each type's counter once.
struct LogMetricsService: Service {
    let engine: Engine
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        let start = try engine.store.head().position
        try await runUntilGracefulShutdown {
            var position = start
            while await engine.store.waitForCommit(beyond: position) {
                position = try count(after: position)
            }
        }
    }

    /// Counts the events after `position` (at most a chunk of them); returns the last position read.
    private func count(after position: UInt64) throws -> UInt64 {
        var last = position
        var types: [String: Int] = [:]
        var breaches: [String] = []
        try engine.store.scan(from: position + 1, limit: 4_096) { view in
            last = view.position
            let type = view.type
            types[type, default: 0] += 1
            if type == SLABreached.eventType, let breach = try? EventCatalog.decode(view.materialize()) as? SLABreached
            {
                breaches.append(breach.slaId.rawValue)
            }
        }
        for (type, count) in types { metrics.appended(type: type, count: count) }
        for clock in breaches { metrics.breached(clock: clock) }
        return last
    }
}
