import EventStore
import FirstResponder
import Hummingbird
import NIOCore

/// `GET /v1/audit/access`: the access log, for auditors (the same records as `vigil audit access`):
/// this daemon's own — on a read-only replica, its access store's.
struct AccessRoutes {
    let accessLog: AccessLog

    static let endpoint = Endpoint(
        .get, "/v1/audit/access", operationId: "auditAccess",
        summary: "The access log: reads of case and youth details, and refusals.", tag: "audit",
        access: .roles([.auditor]),
        document: OperationDocument(
            parameters: [
                .init(
                    "case", in: .query, "Only records about this case.",
                    schema: ##"{"$ref": "#/components/schemas/caseId"}"##, required: false),
                .init(
                    "youth", in: .query, "Only records about this youth.",
                    schema: ##"{"$ref": "#/components/schemas/youthRef"}"##, required: false),
                .init(
                    "actor", in: .query, "Only this actor's records.", schema: ##"{"type": "string"}"##, required: false
                ),
                .init("refused", in: .query, "Only refusals.", schema: ##"{"type": "boolean"}"##, required: false),
                .init(
                    "outcome", in: .query,
                    "Only records with this outcome: allowed (served), refused, not-found (404) or gone (410: a sealed record).",
                    schema: #"{"type": "string", "enum": ["#
                        + AccessLogReader.outcomeNames.map { "\"\($0)\"" }.joined(separator: ", ") + "]}",
                    required: false),
                .init(
                    "from", in: .query, "From this time (inclusive).",
                    schema: ##"{"type": "string", "format": "date-time"}"##, required: false),
                .init(
                    "to", in: .query, "Before this time.", schema: ##"{"type": "string", "format": "date-time"}"##,
                    required: false),
                .init(
                    "limit", in: .query, "At most this many (1 to 1000, default 100).",
                    schema: ##"{"type": "integer", "minimum": 1, "maximum": 1000}"##, required: false),
            ],
            responses: [
                .init(
                    200, "the records, oldest first",
                    content: ("application/json", ##"{"$ref": "#/components/schemas/AccessRecordPage"}"##))
            ]))

    static let endpoints = [endpoint]

    /// The `outcome` parameter: 400 naming it and the outcomes it takes unless it is one of them.
    static func outcome(_ query: QueryParameters) throws -> AccessRecorded.Outcome? {
        guard let text = query.string("outcome") else { return nil }
        guard let outcome = AccessRecorded.Outcome(rawValue: text) else {
            throw QueryParameters.invalid("outcome", AccessLogReader.outcomeList, text)
        }
        return outcome
    }

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.endpoint, accessLog: accessLog) { request, _ in
            let query = QueryParameters(request)
            let filter = AccessLogReader.Filter(
                caseId: query.string("case"), youthRef: query.string("youth"), actor: query.string("actor"),
                refusedOnly: try query.flag("refused"), outcome: try Self.outcome(query),
                from: try query.instant("from"), to: try query.instant("to"))
            let limit = try query.limit()
            var body: [UInt8] = Array(#"{"records":["#.utf8)
            var first = true
            try AccessLogReader.read(accessLog.store, filter: filter, limit: limit) { stored, record in
                if !first { body.append(UInt8(ascii: ",")) }
                first = false
                body += AccessLogReader.json(stored, record)
            }
            body += Array("]}".utf8)
            return IdentityRoutes.json(body)
        }
    }
}
