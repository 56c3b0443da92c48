import EventStore
import Hummingbird
import NIOCore
import Projections
import VigilEngine

/// `GET /metrics`: Prometheus's text format, for the admin role (Prometheus sends an admin token:
/// `authorization: {type: Bearer, credentials_file: …}`). The gauges about the log are read at
/// each scrape; the rest accumulate as the daemon works. Aggregates only: no case, no youth.
struct MetricsRoutes {
    let engine: Engine
    let accessLog: AccessLog
    let metrics: ServerMetrics
    let clock: ServerClock

    static let endpoint = Endpoint(
        .get, "/metrics", operationId: "metrics", summary: "Metrics in Prometheus's text format.", tag: "operations",
        access: .roles([.admin]),
        document: OperationDocument(responses: [
            .init(200, "the metrics", content: ("text/plain", ##"{"type": "string"}"##))
        ]))

    static let endpoints = [endpoint]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.endpoint, accessLog: accessLog) { _, _ in
            try refreshGauges()
            var buffer: [UInt8] = []
            metrics.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    private func refreshGauges() throws {
        metrics.gauge("vigil_log_head_position", Double(try engine.store.head().position))
        // The board's figures, as the dispatch desk sees them now (counts only: no case leaves).
        let board = try engine.projections.read { try CaseBoardQuery(now: clock.now()).run($0) }
        let running = board.cases.flatMap(\.clocks)
        metrics.gauge("vigil_view_lag_events", Double(board.lag))
        metrics.gauge("vigil_open_cases", Double(board.cases.count))
        metrics.gauge("vigil_clocks_at_risk", Double(running.filter(\.atRisk).count))
        metrics.gauge("vigil_clocks_breached_running", Double(running.filter { $0.status == "breached" }.count))
        if let timers = engine.timers {
            let pending = try timers.pending(in: engine.store.environment)
            let now = clock.now()
            metrics.gauge("vigil_timers_pending", Double(pending.count))
            metrics.gauge("vigil_timers_overdue", Double(pending.filter { $0.dueAt < now.adding(seconds: -1) }.count))
        }
    }
}
