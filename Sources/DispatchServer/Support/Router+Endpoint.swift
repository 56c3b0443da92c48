import FirstResponder
import HTTPTypes
import Hummingbird

/// A route's handler: the request and its context (with the authenticated caller, when the endpoint
/// needs one).
typealias EndpointHandler = @Sendable (Request, VigilRequestContext) async throws -> Response

extension Router where Context == VigilRequestContext {
    /// Registers `endpoint`: authorises each call by the endpoint's roles (401 without a valid
    /// token, 403 for another role, each refusal written to the access log), runs `handler`, and for
    /// endpoints that read a case's or a youth's details writes the access record before answering.
    /// An endpoint that reads the views first waits for its `minPosition` (``ViewConsistency``).
    func add(_ endpoint: Endpoint, accessLog: AccessLog, handler: @escaping EndpointHandler) {
        on(RouterPath(stringLiteral: endpoint.path), method: endpoint.method) { request, context in
            guard case .roles(let roles) = endpoint.access else { return try await handler(request, context) }
            let entry = { (status: Int, refusal: AccessRecorded.Refusal?) in
                AccessLog.Entry(
                    action: endpoint.operationId, status: status, refusal: refusal,
                    authentication: context.authentication,
                    presentedTokenId: TokenFile.id(
                        of: AuthenticationMiddleware.bearer(request.headers[.authorization]) ?? ""),
                    caseId: context.parameters.get("caseId"), youthRef: context.parameters.get("youthRef"),
                    requestId: context.requestId)
            }
            let principal: Principal
            switch context.authentication {
            case .success(let p):
                principal = p
            case .failure(let failure):
                let problem = Problem(unauthenticated: failure)
                if let refusal = failure.refusal {
                    try await accessLog.record(entry(Int(problem.status.code), refusal))
                }
                throw problem
            }
            guard roles.contains(principal.role) else {
                let problem = Problem(forbidden: principal, operation: endpoint.operationId, roles: roles)
                try await accessLog.record(entry(403, .roleNotAllowed))
                throw problem
            }
            if endpoint.readsViews, let consistency = context.viewConsistency {
                try await consistency.wait(for: request)
            }
            let response = try await handler(request, context)
            if endpoint.logsAccess && (200..<300).contains(response.status.code) {
                try await accessLog.record(entry(Int(response.status.code), nil))
            }
            return response
        }
    }
}

extension TokenRegistry.Failure {
    /// How the access log names it; `nil` when the daemon, not the caller, failed.
    var refusal: AccessRecorded.Refusal? {
        switch self {
        case .missing: .noToken
        case .invalid: .invalidToken
        case .revoked: .revokedToken
        case .unavailable: nil
        }
    }
}

extension Problem {
    /// 401 (RFC 6750's `WWW-Authenticate: Bearer`), or 503 when the token file cannot be read.
    init(unauthenticated failure: TokenRegistry.Failure) {
        let challenge = #"Bearer realm="vigil""#
        switch failure {
        case .missing:
            self.init(
                .unauthorized, kind: "unauthenticated", title: "unauthenticated",
                detail: "this endpoint needs a bearer token: Authorization: Bearer <token> ('vigil token create')",
                headers: [.wwwAuthenticate: challenge])
        case .invalid:
            self.init(
                .unauthorized, kind: "invalid-token", title: "invalid token",
                detail: "the bearer token is not one this daemon issued",
                headers: [.wwwAuthenticate: challenge + #", error="invalid_token""#])
        case .revoked(let id):
            self.init(
                .unauthorized, kind: "revoked-token", title: "revoked token", detail: "token \(id) was revoked",
                headers: [.wwwAuthenticate: challenge + #", error="invalid_token""#])
        case .unavailable(let reason):
            self.init(
                .serviceUnavailable, kind: "tokens-unavailable", title: "tokens unavailable",
                detail: "the daemon cannot read its token file, so it refuses every request: \(reason)")
        }
    }

    /// 403, naming the roles that may call the endpoint.
    init(forbidden principal: Principal, operation: String, roles: Set<Role>) {
        let allowed = roles.sorted().map(\.rawValue)
        self.init(
            .forbidden, kind: "role-not-allowed", title: "role not allowed",
            detail:
                "\(operation) is for \(allowed.joined(separator: ", ")); this token's role is \(principal.role.rawValue)",
            extensions: [("allowedRoles", .strings(allowed))])
    }
}
