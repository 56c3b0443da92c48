import EventStore
import FirstResponder
import HTTPTypes
import Hummingbird
import VigilEngine

/// `GET /v1/youth/{youthRef}`: a youth's identifying details from the personal-data vault — what
/// `vigil vault show` prints — for the vault's readers only (``Role/vaultReaders``: dispatchers,
/// responders and supervisors, the parties WIC 827 lists; never analysts, auditors or admins).
///
/// Every lookup is written to the access log before the answer, whatever it found: the details
/// served (200), a sealed record (410: the details were destroyed by the sealing; the answer says
/// when and on what legal basis, nothing more), or no details held (404). Refusals (401, 403) are
/// logged by the router as for every endpoint. The answer is `Cache-Control: no-store`. A daemon
/// started without the vault's master key holds no details to serve (503).
struct YouthRoutes {
    let engine: Engine
    let accessLog: AccessLog

    static let details = Endpoint(
        .get, "/v1/youth/{youthRef}", operationId: "getYouthDetails",
        summary: "A youth's identifying details from the vault (vault readers only; every lookup is access-logged).",
        tag: "youth", access: .roles(Role.vaultReaders), logsAccess: true,
        document: OperationDocument(
            parameters: [
                .init(
                    "youthRef", in: .path, "The youth's pseudonymous reference.",
                    schema: ##"{"$ref": "#/components/schemas/youthRef"}"##, required: true)
            ],
            responses: [
                .init(
                    200, "the youth's details, decrypted",
                    content: (
                        "application/json",
                        ##"""
                        {"type": "object", "additionalProperties": false,
                         "required": ["youthRef", "givenName", "familyName", "dateOfBirth"],
                         "properties": {
                           "youthRef": {"$ref": "#/components/schemas/youthRef"},
                           "givenName": {"type": "string"}, "familyName": {"type": "string"},
                           "dateOfBirth": {"type": "string", "format": "date"},
                           "phone": {"type": "string"}, "notes": {"type": "string"}}}
                        """##
                    ),
                    headers: [("Cache-Control", "no-store: identifying details are never kept by a cache.")]),
                .init(
                    404, "the vault holds no details for this youth",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
                .init(
                    410, "the record was sealed: the details were destroyed (when and on what legal basis is said)",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
            ]))

    static let endpoints = [details]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.details, accessLog: accessLog) { _, context in
            let youthRef = context.parameters.get("youthRef") ?? ""
            do {
                return try read(youthRef)
            } catch let problem as Problem where problem.status == .notFound || problem.status == .gone {
                // A lookup that found nothing to serve is still a lookup of this youth: on the record too.
                try await accessLog.record(
                    AccessLog.Entry(
                        action: Self.details.operationId, status: Int(problem.status.code), refusal: nil,
                        authentication: context.authentication, caseId: nil, youthRef: youthRef,
                        requestId: context.requestId))
                throw problem
            }
        }
    }

    private func read(_ youthRef: String) throws -> Response {
        guard let vault = engine.vault else {
            throw Problem(
                .serviceUnavailable, kind: "no-vault", title: "no vault",
                detail:
                    "this daemon was started without the vault's master key (--key-file): it holds no details to serve")
        }
        guard YouthRef(rawValue: youthRef) != nil else {
            throw Problem(
                .badRequest, kind: "invalid-parameter", title: "invalid parameter",
                detail: "youthRef must be Y- followed by 10 to 24 capital letters or digits, got \(youthRef.prefix(40))"
            )
        }
        let found: VaultRead
        do {
            found = try vault.read(youthRef)
        } catch {
            // A record that does not authenticate is the daemon's failure, not the caller's.
            throw Problem.internal
        }
        switch found {
        case .details(let details):
            var response = IdentityRoutes.json(details.jsonBytes(youthRef: youthRef))
            response.headers[.cacheControl] = "no-store"
            return response
        case .sealed(let seal):
            throw Problem(
                .gone, kind: "record-sealed", title: "record sealed",
                detail:
                    "\(youthRef)'s record was sealed at \(seal.sealedAt.rfc3339) under \(seal.legalBasis.rawValue): "
                    + "the identifying details were destroyed and no one can read them")
        case .unknown:
            throw Problem(
                .notFound, kind: "unknown-youth", title: "unknown youth",
                detail: "the vault holds no identifying details for \(youthRef)")
        }
    }
}
