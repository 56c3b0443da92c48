import EventStore
import Hummingbird
import Logging

/// Turns every error a route or an inner middleware throws into its problem document (RFC 9457),
/// through the one mapping, ``Problem/init(_:)``. A 5xx (but a 503 not-ready) is logged with the error, under the
/// request's id, which the problem repeats so an operator can find it. A write refused for want of
/// space is noted for readiness (``ServerState/note(_:store:)``).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let state: ServerState
    let store: EventStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            state.note(error, store: store)
            let problem = Problem(error)
            // Not being ready (starting, shutting down, a full store) is a state /readyz reports, not a failure.
            if problem.status.code >= 500 && problem.kind != "not-ready" {
                context.logger.error(
                    "request failed",
                    metadata: ["error": .string("\(error)"), "status": .stringConvertible(problem.status.code)])
            }
            return problem.response(requestId: context.requestId)
        }
    }
}
