import Foundation
import Hummingbird

/// Reads the bearer token of every request and puts who is asking (or why nobody is) in the
/// context. It refuses nothing itself: whether a route needs a token, and which role, is the
/// route's ``Endpoint/access``, checked by ``Router/add(_:handler:)`` with the access log.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let tokens: TokenRegistry

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.authentication = tokens.authenticate(Self.bearer(request.headers[.authorization]))
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive).
    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return "" }
        return String(parts[1].trimmingOptionalWhitespace)
    }
}
