import Dispatch
import EventStore
import FirstResponder
import Hummingbird
import Replay
import VigilEngine

/// The audits, for auditors (the same documents as `vigil audit decisions|case --json`):
/// `GET /v1/audit/decisions` re-runs every recorded dispatch decision on what it read (and, with
/// `policy`, another policy version over the same history); `GET /v1/audit/cases/{caseId}` is one
/// case's timeline with every record checked against its chain hash. Both read the log itself, never
/// a view. A case's timeline is a read of its details: it is written to the access log.
struct AuditRoutes {
    let engine: Engine
    let accessLog: AccessLog

    static let decisions = Endpoint(
        .get, "/v1/audit/decisions", operationId: "auditDecisions",
        summary: "Re-run every recorded dispatch decision on what it read; list any that differ.", tag: "audit",
        access: .roles([.auditor]),
        document: OperationDocument(
            parameters: ViewRoutes.periodParameters + [
                .init(
                    "policy", in: .query, "Also run this policy version (v2, or 2) over the same history.",
                    schema: ##"{"type": "string", "pattern": "^v?[0-9]{1,3}$"}"##, required: false)
            ],
            responses: [
                .init(
                    200, "the audit (vigil audit decisions --json)",
                    content: (
                        "application/json",
                        ##"{"type": "object", "required": ["decisions", "reproduced", "mismatches"]}"##
                    ))
            ]))

    static let timeline = Endpoint(
        .get, "/v1/audit/cases/{caseId}", operationId: "auditCase",
        summary: "One case's full timeline, every record checked against its chain hash.", tag: "audit",
        access: .roles([.auditor]), logsAccess: true,
        document: OperationDocument(
            parameters: [CaseRoutes.caseParameter],
            responses: [
                .init(
                    200, "the timeline (vigil audit case --json)",
                    content: ("application/json", ##"{"type": "object", "required": ["caseId", "events", "chain"]}"##)),
                .init(
                    404, "no such case",
                    content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
            ]))

    static let endpoints = [decisions, timeline]

    /// A whole-log pass runs here, not on the executor's few threads.
    private static let queue = DispatchQueue(label: "vigil.audit")

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.decisions, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            var version: Int?
            if let text = q.string("policy") {
                guard let number = Int(text.hasPrefix("v") ? String(text.dropFirst()) : text),
                    DispatchPolicies.version(number) != nil
                else {
                    let known = DispatchPolicies.all.map { "v\($0.version)" }.joined(separator: ", ")
                    throw QueryParameters.invalid("policy", "one of \(known)", text)
                }
                version = number
            }
            let alternative = version
            let (store, from, to) = (engine.store, try q.instant("from"), try q.instant("to"))
            let report = try await withCheckedThrowingContinuation { continuation in
                Self.queue.async {
                    continuation.resume(
                        with: Result {
                            try DecisionAuditPass(store: store, from: from, to: to, alternative: alternative).run()
                        })
                }
            }
            return try ViewRoutes.json(report)
        }
        router.add(Self.timeline, accessLog: accessLog) { _, context in
            let caseId = context.parameters.get("caseId") ?? ""
            guard let id = CaseID(rawValue: caseId), let timeline = try CaseTimeline.load(id, from: engine.store) else {
                throw CaseRoutes.notFound(caseId)
            }
            return try ViewRoutes.json(timeline)
        }
    }
}
