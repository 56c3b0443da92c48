import EventStore
import Foundation
import Hummingbird
import NIOCore
import Projections
import VigilEngine

/// `GET /v1/views/<view>`: the views people read, as `vigil views show NAME --json` prints them,
/// read from the stored views the daemon keeps current (``ProjectionService``). Each answer says
/// the log position it was computed at and how far the views were behind the log (`lag`).
///
/// Who reads what: the case board and the roster are the dispatch desk's (dispatchers, responders,
/// supervisors), and every read of the board is written to the access log. The aggregate figures
/// (response times, milestones, recoveries, arrests, training) are for analysts and auditors too;
/// an analyst never gets a case's own clocks. Clocks still running are measured at `now`, by
/// default the daemon's clock.
struct ViewRoutes {
    let engine: Engine
    let accessLog: AccessLog
    let clock: ServerClock

    /// Everyone who may read aggregate figures.
    static let figureReaders: Set<Role> = Role.caseReaders.union([.analyst, .auditor])

    static let periodParameters: [OperationDocument.Parameter] = [
        .init("from", in: .query, "Only what started at or after this time.", schema: timeSchema, required: false),
        .init("to", in: .query, "Only what started before this time.", schema: timeSchema, required: false),
    ]
    static let placeParameters: [OperationDocument.Parameter] = [
        .init("agency", in: .query, "Only this law-enforcement agency.", schema: textSchema, required: false),
        .init("station", in: .query, "Only this station.", schema: textSchema, required: false),
        .init("area", in: .query, "Only this Service Planning Area.", schema: textSchema, required: false),
    ]
    static let nowParameter = OperationDocument.Parameter(
        "now", in: .query, "Measure running clocks at this time (default: now).", schema: timeSchema, required: false)
    static let timeSchema = ##"{"type": "string", "format": "date-time"}"##
    static let textSchema = ##"{"type": "string", "minLength": 1, "maxLength": 100}"##

    static func endpoint(
        _ view: ViewName, operationId: String, access: Set<Role>, logsAccess: Bool = false,
        parameters: [OperationDocument.Parameter], schema: String
    ) -> Endpoint {
        Endpoint(
            .get, "/v1/views/\(view.rawValue)", operationId: operationId,
            summary: "The \(view.rawValue) view: \(view.summary).",
            tag: "views", access: .roles(access), logsAccess: logsAccess, readsViews: true,
            document: OperationDocument(
                parameters: parameters,
                responses: [.init(200, "the view", content: ("application/json", schema))]))
    }

    static let caseBoard = endpoint(
        .caseBoard, operationId: "caseBoard", access: Role.caseReaders, logsAccess: true,
        parameters: [nowParameter] + placeParameters + [
            .init(
                "atRisk", in: .query, "Only cases with a clock at risk.", schema: ##"{"type": "boolean"}"##,
                required: false)
        ],
        schema: ##"{"$ref": "#/components/schemas/CaseBoard"}"##)

    static let roster = endpoint(
        .roster, operationId: "rosterBoard", access: Role.caseReaders,
        parameters: [
            nowParameter,
            .init("role", in: .query, "Only this responder role.", schema: textSchema, required: false),
            .init(
                "onShift", in: .query, "Only responders on shift.", schema: ##"{"type": "boolean"}"##, required: false),
        ],
        schema: ##"{"$ref": "#/components/schemas/RosterBoard"}"##)

    static let responseTimes = endpoint(
        .responseTimes, operationId: "responseTimes", access: figureReaders,
        parameters: [nowParameter] + periodParameters + placeParameters + [
            .init(
                "level", in: .query, "Only this service level (ADVOCATE-ON-SCENE, …).", schema: textSchema,
                required: false),
            .init(
                "case", in: .query, "Only this case, with its clocks (not for analysts).",
                schema: ##"{"$ref": "#/components/schemas/caseId"}"##, required: false),
            .init(
                "clocks", in: .query, "List every clock, not only the figures (not for analysts).",
                schema: ##"{"type": "boolean"}"##, required: false),
        ],
        schema: figures(
            "Every service-level clock: n, median, p90 (nearest rank), % within, breached, open, excluded, late."))

    static let milestones = endpoint(
        .milestones, operationId: "milestones", access: figureReaders,
        parameters: [nowParameter] + periodParameters + placeParameters,
        schema: figures("The 72-hour milestones."))

    static let recoveries = endpoint(
        .recoveries, operationId: "recoveries", access: figureReaders, parameters: periodParameters + placeParameters,
        schema: figures("Recoveries and unique youth."))

    static let arrests = endpoint(
        .arrests, operationId: "arrests", access: figureReaders,
        parameters: periodParameters + [
            .init(
                "role", in: .query, "Only this arrest role (trafficker, exploiter, buyer, other).", schema: textSchema,
                required: false),
            placeParameters[1], placeParameters[2],
        ],
        schema: figures("Arrests, with corrections and voids applied."))

    static let training = endpoint(
        .training, operationId: "training", access: figureReaders,
        parameters: periodParameters + [
            .init("sector", in: .query, "Only this audience sector.", schema: textSchema, required: false)
        ],
        schema: figures("Training sessions, people trained, parent program cohorts."))

    static let endpoints = [caseBoard, roster, responseTimes, milestones, recoveries, arrests, training]

    static func figures(_ description: String) -> String {
        #"{"type": "object", "required": ["position"], "description": "\#(description) As vigil views show --json prints it.", "properties": {"position": {"type": "integer", "minimum": 0}}}"#
    }

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.caseBoard, accessLog: accessLog) { request, _ in
            let query = try Self.boardQuery(QueryParameters(request), clock: clock)
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.roster, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            let query = RosterQuery(
                now: try q.instant("now") ?? clock.now(), role: q.string("role"), onShiftOnly: try q.flag("onShift"))
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.responseTimes, accessLog: accessLog) { request, context in
            let q = QueryParameters(request)
            let caseId = q.string("case")
            let clocks = try q.flag("clocks")
            if context.principal?.role == .analyst && (caseId != nil || clocks) {
                throw Problem(
                    .forbidden, kind: "role-not-allowed", title: "role not allowed",
                    detail:
                        "an analyst reads aggregate figures only: case and clocks are for the dispatch desk and auditors"
                )
            }
            let query = ResponseTimesQuery(
                now: try q.instant("now") ?? clock.now(), from: try q.instant("from"), to: try q.instant("to"),
                agency: q.string("agency"), station: q.string("station"), area: q.string("area"),
                serviceLevel: q.string("level"), caseId: caseId, includeClocks: clocks || caseId != nil)
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.milestones, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            let query = MilestonesQuery(
                now: try q.instant("now") ?? clock.now(), period: try Self.period(q), agency: q.string("agency"),
                station: q.string("station"), area: q.string("area"))
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.recoveries, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            let query = RecoveriesQuery(
                period: try Self.period(q), agency: q.string("agency"), station: q.string("station"),
                area: q.string("area"))
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.arrests, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            let query = ArrestsQuery(
                period: try Self.period(q), role: q.string("role"), station: q.string("station"), area: q.string("area")
            )
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
        router.add(Self.training, accessLog: accessLog) { request, _ in
            let q = QueryParameters(request)
            let query = TrainingQuery(period: try Self.period(q), sector: q.string("sector"))
            return try Self.json(try engine.projections.read { try query.run($0) })
        }
    }

    /// The case board's query from its parameters (the board's stream takes the same ones).
    static func boardQuery(_ q: QueryParameters, clock: ServerClock) throws -> CaseBoardQuery {
        CaseBoardQuery(
            now: try q.instant("now") ?? clock.now(), station: q.string("station"), area: q.string("area"),
            agency: q.string("agency"), atRiskOnly: try q.flag("atRisk"))
    }

    static func period(_ q: QueryParameters) throws -> Period {
        Period(from: try q.instant("from"), to: try q.instant("to"))
    }

    /// A view's compact JSON (keys sorted: the same figures always give the same bytes).
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        IdentityRoutes.json(try encode(value))
    }
}
