import EventStore
import FirstResponder
import HTTPTypes
import Hummingbird
import NIOCore
import Reports
import VigilEngine

/// `GET /v1/reports`: the Board of Supervisors report for analysts and auditors, the same report as
/// `vigil report` (``ReportService/render(_:format:output:)``) — aggregate figures with small cells
/// suppressed, never a case or a youth. The stored views are brought up to the log first, so the
/// report reads them instead of folding the log.
struct ReportRoutes {
    let engine: Engine
    let accessLog: AccessLog

    static let endpoint = Endpoint(
        .get, "/v1/reports", operationId: "boardReport",
        summary: "The Board of Supervisors report (as `vigil report`), in HTML, Markdown, CSV or JSON.",
        tag: "reports", access: .roles([.analyst, .auditor]),
        document: OperationDocument(
            parameters: [
                .init(
                    "from", in: .query, "First day of the period (Pacific time unless time-zone=utc).",
                    schema: ##"{"type": "string", "format": "date"}"##, required: true),
                .init(
                    "to", in: .query, "Last day of the period (inclusive).",
                    schema: ##"{"type": "string", "format": "date"}"##, required: true),
                .init(
                    "format", in: .query, "html (default), md, csv or json.",
                    schema: ##"{"type": "string", "enum": ["html", "md", "csv", "json"]}"##, required: false),
                .init(
                    "compare-to", in: .query, "'previous' or FROM..TO.", schema: ##"{"type": "string"}"##,
                    required: false),
                .init(
                    "as-known-on", in: .query, "Only events recorded at or before this instant.",
                    schema: ##"{"type": "string", "format": "date-time"}"##, required: false),
                .init(
                    "at-position", in: .query, "Only the log through this position (what a report's stamp pins).",
                    schema: ##"{"type": "integer", "minimum": 0}"##, required: false),
                .init(
                    "time-zone", in: .query, "pacific (default) or utc.",
                    schema: ##"{"type": "string", "enum": ["pacific", "utc"]}"##, required: false),
            ],
            responses: [
                .init(200, "the report, stamped with the log position, its chain hash and Vigil's version")
            ]))

    static let endpoints = [endpoint]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.endpoint, accessLog: accessLog) { request, _ in
            let query = request.uri.queryParameters
            let bytes: [UInt8]
            let format: ReportFormat
            do {
                let report = try ReportRequest.parse(
                    from: query.get("from"), to: query.get("to"), compareTo: query.get("compare-to"),
                    asKnownOn: query.get("as-known-on"), atPosition: query.get("at-position"),
                    timeZone: query.get("time-zone"), name: { $0 })
                format = try ReportFormat.parse(query.get("format") ?? "html", name: "format")
                // A read-only replica's views are brought up by its follower, not here.
                if !engine.store.isReadOnly { try engine.projections.catchUp() }
                let service = ReportService(
                    store: engine.store, views: engine.projections, vigilVersion: Engine.version,
                    dataDirectory: engine.directory)
                bytes = try service.render(report, format: format)
            } catch let error as ReportError {
                throw Problem(
                    .badRequest, kind: "invalid-parameter", title: "invalid parameter", detail: error.text { $0 })
            }
            return Response(
                status: .ok, headers: [.contentType: format.mediaType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
