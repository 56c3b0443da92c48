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
        // Compared byte by byte (no lowercased copy, no split): every request passes here.
        let scheme = header.utf8.prefix { $0 != UInt8(ascii: " ") }
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return "" }
        let rest = header.utf8.dropFirst(7).drop { $0 == UInt8(ascii: " ") }
        guard !rest.isEmpty else { return "" }
        return String(Substring(rest).trimmingOptionalWhitespace)
    }
}
