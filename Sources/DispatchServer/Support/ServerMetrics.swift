import CoreMetrics
import FirstResponder
import Metrics
import Prometheus
import Synchronization

/// The daemon's metrics, recorded through swift-metrics and exported by `/metrics` in Prometheus's
/// text format (swift-prometheus). Names follow Prometheus's conventions: `_seconds` for durations,
/// `_total` for counters.
///
/// | metric | what |
/// |---|---|
/// | `vigil_http_request_duration_seconds{route,method,status}` | HTTP latency by route template and status |
/// | `vigil_command_append_seconds{command}` | a command's append: queued, committed with others, durable |
/// | `vigil_commit_batch_appends` / `vigil_commit_batch_events` | appends and events per group commit |
/// | `vigil_commands_total{command}`, `vigil_command_retries_total` | commands answered; re-decided after a concurrent change |
/// | `vigil_timer_delay_seconds`, `vigil_timers_caught_up_total` | how long after its due time each timer fired; those that fell due while the daemon was down |
/// | `vigil_events_total{type}`, `vigil_sla_breaches_total{clock}` | events appended; service levels breached |
/// | `vigil_log_head_position`, `vigil_timers_pending`, `vigil_timers_overdue` | read at each scrape |
/// | `vigil_view_lag_events`, `vigil_open_cases`, `vigil_clocks_at_risk`, `vigil_clocks_breached_running` | the views' lag behind the log and the case board's counts, read at each scrape |
struct ServerMetrics: Sendable {
    /// The registry `/metrics` reads; swift-metrics is bootstrapped with it once per process.
    let registry: PrometheusCollectorRegistry
    /// The handles of the metrics recorded per request, per commit and per event, made once (per
    /// label set) after swift-metrics is bootstrapped.
    private let handles: Handles

    init() {
        registry = Self.bootstrap
        handles = Handles()
    }

    private static let bootstrap: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(5),
        ]
        factory.defaultDurationHistogramBuckets = fast
        factory.durationHistogramBuckets["vigil_timer_delay_seconds"] = [
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .milliseconds(750),
            .seconds(1), .seconds(2), .seconds(5), .seconds(30), .seconds(300), .seconds(3600),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// A command answered (appended, or replayed for a retry).
    func commandHandled(_ result: CommandResult, append: Duration?) {
        let command = handles.command(result.command)
        command.handled.increment()
        if let append { command.append.recordNanoseconds(append.nanoseconds) }
    }

    /// A command decided again after a concurrent change to a stream it read.
    func commandRetried() {
        handles.retries.increment()
    }

    /// One group commit of the store.
    func committed(appends: Int, events: Int) {
        handles.batchAppends.record(appends)
        handles.batchEvents.record(events)
    }

    /// A timer fired `delay` after its due time.
    func timerFired(delay: Duration) {
        Timer(label: "vigil_timer_delay_seconds").recordNanoseconds(max(0, delay.nanoseconds))
    }

    /// A timer that fell due while the daemon was down fired at start-up.
    func timerCaughtUp() {
        Counter(label: "vigil_timers_caught_up_total").increment()
    }

    /// `count` events of `type` were appended.
    func appended(type: String, count: Int = 1) {
        handles.events(type).increment(by: count)
    }

    /// A service-level clock was breached.
    func breached(clock: String) {
        Counter(label: "vigil_sla_breaches_total", dimensions: [("clock", clock)]).increment()
    }

    /// One HTTP request answered.
    func request(route: String, method: String, status: Int, duration: Duration) {
        handles.request(route: route, method: method, status: status).recordNanoseconds(duration.nanoseconds)
    }

    /// Sets a gauge read at scrape time.
    func gauge(_ name: String, _ value: Double) {
        registry.makeGauge(name: name).set(value)
    }
}

/// The handles of the metrics recorded per request, per commit and per event, by label set, made
/// once: making one through swift-metrics sanitizes its name and labels and looks it up in the
/// registry under its lock.
private final class Handles: Sendable {
    struct Request: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct Command: Sendable {
        let handled: CoreMetrics.Counter
        let append: CoreMetrics.Timer
    }

    private let requests = Mutex<[Request: CoreMetrics.Timer]>([:])
    private let commands = Mutex<[String: Command]>([:])
    private let eventTypes = Mutex<[String: CoreMetrics.Counter]>([:])
    let batchAppends = Recorder(label: "vigil_commit_batch_appends", aggregate: true)
    let batchEvents = Recorder(label: "vigil_commit_batch_events", aggregate: true)
    let retries = Counter(label: "vigil_command_retries_total")

    func events(_ type: String) -> CoreMetrics.Counter {
        if let counter = eventTypes.withLock({ $0[type] }) { return counter }
        let counter = Counter(label: "vigil_events_total", dimensions: [("type", type)])
        eventTypes.withLock { $0[type] = counter }
        return counter
    }

    func request(route: String, method: String, status: Int) -> CoreMetrics.Timer {
        let key = Request(route: route, method: method, status: status)
        if let timer = requests.withLock({ $0[key] }) { return timer }
        let timer = Timer(
            label: "vigil_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method), ("status", String(status))])
        requests.withLock { $0[key] = timer }
        return timer
    }

    func command(_ name: String) -> Command {
        if let command = commands.withLock({ $0[name] }) { return command }
        let command = Command(
            handled: Counter(label: "vigil_commands_total", dimensions: [("command", name)]),
            append: Timer(label: "vigil_command_append_seconds", dimensions: [("command", name)]))
        commands.withLock { $0[name] = command }
        return command
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
