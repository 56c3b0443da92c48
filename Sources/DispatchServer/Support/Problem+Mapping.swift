import EventStore
import FirstResponder
import Hummingbird
import Projections
import VigilEngine

extension Problem {
    /// Every error the daemon can meet, as the problem the client gets: the one place errors are
    /// mapped to statuses.
    ///
    /// - A command the protocol refuses (``CommandRejection``): 422 when the command itself is
    ///   wrong (a field, an unknown id it names), 409 when it conflicts with the state of the log
    ///   (the lifecycle, a request already answered, a stream changed under it: retry).
    /// - A view's filter that is not valid (``ProjectionError``, invalid query): 400.
    /// - A body that is not the JSON expected (``DomainValidationError``): 400 for malformed JSON,
    ///   422 for a schema violation, with the field's pointer.
    /// - Hummingbird's own errors (no route, body too large, bad method) keep their status.
    /// - A store that is closed (shutting down) is 503 with `Retry-After`; a store whose disk is full
    ///   (or whose size limit is reached) is 507 with `Retry-After`: nothing was written, the same
    ///   request succeeds once space is freed. Any other failure is 500 and says no more than that,
    ///   the details going to the log under the request id.
    public init(_ error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let rejection as CommandRejection:
            self.init(rejection: rejection)
        case let invalid as DomainValidationError:
            self.init(validation: invalid)
        case let http as HTTPError:
            self.init(http: http)
        case let store as EventStoreError where store.code == .closed:
            self = .unavailable
        case let store as EventStoreError where store.code == .storage && store.meansNoSpace:
            self = .insufficientStorage
        case let query as ProjectionError where query.code == .invalidQuery:
            self.init(.badRequest, kind: "invalid-parameter", title: "invalid parameter", detail: query.message)
        case let engine as EngineError where engine.code == .notFound:
            self.init(.serviceUnavailable, kind: "no-store", title: "no store", detail: engine.message)
        case let http as any HTTPResponseError:
            self.init(
                http.status, kind: "http-\(http.status.code)", title: http.status.reasonPhrase,
                detail: http.status.reasonPhrase)
        default:
            self = .internal
        }
    }

    /// The daemon is shutting down or its store is closed.
    static var unavailable: Problem {
        Problem(
            .serviceUnavailable, kind: "unavailable", title: "service unavailable",
            detail: "the daemon is shutting down; retry against the restarted daemon",
            headers: [.retryAfter: "1"])
    }

    /// The store's disk is full: nothing was written; retry once the operator has freed space.
    static var insufficientStorage: Problem {
        Problem(
            .init(code: 507, reasonPhrase: "Insufficient Storage"), kind: "insufficient-storage",
            title: "insufficient storage",
            detail: "the daemon's disk is full: nothing was written or acknowledged; retry the same request later",
            headers: [.retryAfter: "5"])
    }

    /// A failure that is the daemon's, not the request's.
    static var `internal`: Problem {
        Problem(
            .internalServerError, kind: "internal", title: "internal error",
            detail:
                "the daemon failed to handle the request; nothing was acknowledged. The daemon's log has the details under this request id"
        )
    }

    private init(rejection: CommandRejection) {
        let conflict: Set<CommandRejection.Code> = [
            .alreadyExists, .requestNotAwaiting, .requestAlreadyOpen, .alreadyAcknowledged, .responderDeactivated,
            .responderCommitted, .recordClosed, .notApplicable, .protocolWindow, .notAssigned,
            .streamVersionConflict, .caseNotReported, .caseAlreadyReported, .caseClosed, .recordSealed,
            .arrivalBeforeDispatch, .youthMissing,
        ]
        let status: HTTPResponse.Status
        if rejection.code == .noVault {
            status = .serviceUnavailable
        } else if rejection.code == .unknownCommand {
            status = .notFound
        } else if conflict.contains(rejection.code) || rejection.cause is LifecycleViolation {
            status = .conflict
        } else {
            status = .unprocessableContent
        }
        let kind = rejection.code.name.split(separator: " ").joined(separator: "-")
        self.init(status, kind: kind, title: rejection.code.name, detail: rejection.message, pointer: rejection.field)
    }

    private init(validation: DomainValidationError) {
        if validation.code == .malformedJSON {
            self.init(
                .badRequest, kind: "malformed-json", title: "malformed JSON", detail: validation.message,
                pointer: validation.pointer)
        } else {
            self.init(
                .unprocessableContent, kind: "invalid-command", title: "invalid command",
                detail: validation.message, pointer: validation.pointer)
        }
    }

    private init(http: HTTPError) {
        let detail = http.body ?? http.status.reasonPhrase
        let kind: String
        switch http.status {
        case .notFound: kind = "not-found"
        case .methodNotAllowed: kind = "method-not-allowed"
        case .contentTooLarge: kind = "body-too-large"
        case .unsupportedMediaType: kind = "unsupported-media-type"
        default: kind = "http-\(http.status.code)"
        }
        self.init(
            http.status, kind: kind, title: http.status.reasonPhrase.lowercased(), detail: detail, headers: http.headers
        )
    }
}
