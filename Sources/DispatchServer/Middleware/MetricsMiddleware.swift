import Hummingbird
import Logging

/// Times every request by its route template (`/v1/commands/{command}`, never the concrete path, so
/// ids do not become labels) and status, for `vigil_http_request_duration_seconds`, and logs it with
/// its request id: refusals and failures at `notice`, writes at `info`, reads at `debug`. A streamed
/// body (the event stream) is timed to the end of its head.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        let status = Int(response.status.code)
        metrics.request(route: route, method: request.method.rawValue, status: status, duration: elapsed)
        let level: Logger.Level = status >= 400 ? .notice : request.method == .get ? .debug : .info
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(status),
                "ms": .string(Self.milliseconds(elapsed)),
                "actor": .string(context.principal?.actor ?? "-"),
            ])
        return response
    }

    /// `elapsed` in milliseconds with two decimals (`12.05`), without Foundation's `String(format:)`:
    /// at the default level every command's line carries it.
    static func milliseconds(_ elapsed: Duration) -> String {
        let hundredths = (max(0, elapsed.nanoseconds) + 5_000) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
