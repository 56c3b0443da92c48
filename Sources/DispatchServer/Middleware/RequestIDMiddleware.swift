import HTTPTypes
import Hummingbird

/// Names every response with the request's id (`X-Request-Id`), the same id the daemon's log lines
/// and problem documents carry, so a client's report leads straight to the log.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestId
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}

extension VigilRequestContext {
    /// The request's id, as the logger carries it.
    var requestId: String { id }
}
