import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Projections
import VigilEngine

/// One case, for the dispatch desk: `GET /v1/cases/{caseId}` (its record as the views hold it and
/// every dispatch decision recorded for it, with what each read and why each responder was ranked or
/// excluded) and `GET /v1/cases/{caseId}/requests/{requestId}/recommendation` (what the policy in
/// force would recommend now for a waiting request: the same decision `assign-by-policy` would
/// record, computed and not recorded). Both are reads of a case's details: each is written to the
/// access log. A sealed case's details are gone (410); its aggregates live on in the figures.
struct CaseRoutes {
    let engine: Engine
    let accessLog: AccessLog
    let clock: ServerClock

    static let caseParameter = OperationDocument.Parameter(
        "caseId", in: .path, "The case.", schema: ##"{"$ref": "#/components/schemas/caseId"}"##, required: true)
    static let sealed = OperationDocument.Response(
        410, "the record was sealed: its details are destroyed",
        content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##))

    static let file = Endpoint(
        .get, "/v1/cases/{caseId}", operationId: "caseFile",
        summary: "One case: its record and every dispatch decision recorded for it.", tag: "cases",
        access: .roles(Role.caseReaders), logsAccess: true, readsViews: true,
        document: OperationDocument(
            parameters: [caseParameter],
            responses: [
                .init(
                    200, "the case", content: ("application/json", ##"{"$ref": "#/components/schemas/CaseFile"}"##),
                    headers: [("ETag", "The case stream's version, for If-Match.")]),
                .init(
                    404, "no such case",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
                sealed,
            ]))

    static let recommendation = Endpoint(
        .get, "/v1/cases/{caseId}/requests/{requestId}/recommendation", operationId: "previewRecommendation",
        summary: "What the policy in force would recommend now for a waiting request (computed, not recorded).",
        tag: "cases", access: .roles([.dispatcher, .supervisor]), logsAccess: true,
        document: OperationDocument(
            parameters: [
                caseParameter,
                .init(
                    "requestId", in: .path, "The request.", schema: ##"{"$ref": "#/components/schemas/requestId"}"##,
                    required: true),
            ],
            responses: [
                .init(
                    200, "the recommendation, as RecommendationComputed would record it",
                    content: (
                        "application/json",
                        ##"{"type": "object", "required": ["candidates", "exclusions", "policyVersion"]}"##
                    )),
                .init(
                    409, "the request is not waiting for a responder, or the case does not allow it",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
                .init(
                    422, "no such case or request",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
            ]))

    static let endpoints = [file, recommendation]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.file, accessLog: accessLog) { _, context in
            try caseFile(context.parameters.get("caseId") ?? "")
        }
        router.add(Self.recommendation, accessLog: accessLog) { _, context in
            guard let principal = context.principal else { throw Problem.internal }
            return try preview(
                caseId: context.parameters.get("caseId") ?? "", requestId: context.parameters.get("requestId") ?? "",
                actor: principal.actor)
        }
    }

    private func caseFile(_ caseId: String) throws -> Response {
        guard let id = CaseID(rawValue: caseId) else { throw Self.notFound(caseId) }
        let (record, position) = try engine.projections.read { reader in
            (try reader.row(CasesProjection.cases, caseId), reader.position)
        }
        let events = try engine.store.readStream(CaseFile.stream(id))
        guard let record, let last = events.last else { throw Self.notFound(caseId) }
        if record.sealed != nil {
            throw Problem(
                .gone, kind: "record-sealed", title: "record sealed",
                detail: "case \(caseId) was sealed: its details are destroyed; aggregate figures keep it")
        }
        var body: [UInt8] = Array(#"{"case":"#.utf8)
        body += try ViewRoutes.encode(record)
        body += Array(#","decisions":["#.utf8)
        var first = true
        for event in events where event.type == RecommendationComputed.eventType {
            if !first { body.append(UInt8(ascii: ",")) }
            first = false
            body += EventLine.export(event, renderBinary: DomainCodec.json)
        }
        body += Array(#"],"position":\#(position),"streamVersion":\#(last.version)}"#.utf8)
        var response = IdentityRoutes.json(body)
        response.headers[.eTag] = IfMatch.tag(stream: last.stream, version: last.version)
        return response
    }

    private func preview(caseId: String, requestId: String, actor: String) throws -> Response {
        let command = try CommandJSON.decode(
            .object(
                JSONObject([
                    ("command", .string("assign-by-policy")), ("occurredAt", .string(clock.now().rfc3339)),
                    ("actor", .string(actor)), ("caseId", .string(caseId)), ("requestId", .string(requestId)),
                ])))
        let prepared = try engine.commands.prepare(command)
        guard let decision = prepared.events.first(where: { $0.eventType == RecommendationComputed.eventType }) else {
            throw Problem.internal
        }
        return IdentityRoutes.json(decision.jsonBytes())
    }

    static func notFound(_ caseId: String) -> Problem {
        Problem(
            .notFound, kind: "unknown-case", title: "unknown case", detail: "no case \(caseId.prefix(40)) in the log")
    }
}
