import Hummingbird

/// Hands the routes the daemon's ``ViewConsistency`` (the router's endpoints that read the views
/// wait on it: Router+Endpoint.swift).
struct ViewConsistencyMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let consistency: ViewConsistency

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.viewConsistency = consistency
        return try await next(request, context)
    }
}
