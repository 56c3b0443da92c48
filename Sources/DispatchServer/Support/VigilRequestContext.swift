public import Hummingbird

/// What a request carries through the middleware to its route: Hummingbird's core context (logger
/// with the request id, route parameters) and, once authenticated, who is asking.
public struct VigilRequestContext: RequestContext {
    /// Hummingbird's part.
    public var coreContext: CoreRequestContextStorage
    /// Who is asking, or why the token shown did not authenticate (set by the authentication
    /// middleware; no token at all is ``TokenRegistry/Failure/missing``).
    var authentication: Result<Principal, TokenRegistry.Failure> = .failure(.missing)

    /// How reads of the views wait for a position (set by ``ViewConsistencyMiddleware``).
    var viewConsistency: ViewConsistency?

    /// The authenticated caller, if any.
    public var principal: Principal? { try? authentication.get() }

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
    }
}
