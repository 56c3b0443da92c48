import Hummingbird
import Logging

/// Turns every error a route or an inner middleware throws into its problem document (RFC 9457),
/// through the one mapping, ``Problem/init(_:)``. A 5xx is logged with the error, under the
/// request's id, which the problem repeats so an operator can find it.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: ["error": .string("\(error)"), "status": .stringConvertible(problem.status.code)])
            }
            return problem.response(requestId: context.requestId)
        }
    }
}
