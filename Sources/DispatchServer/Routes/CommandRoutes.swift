import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilEngine

/// `POST /v1/commands/{command}`: runs one protocol command, its body the command's JSON object
/// (without `command`, which the path names).
///
/// - `actor` is the token's holder: it may be left out, and if given must be the holder.
/// - `occurredAt` may be left out for something happening now: the daemon's clock fills it in (for a
///   retry of a command the log holds, with the first attempt's time, so the retry matches it).
/// - `Idempotency-Key: <uuid>` makes a retry safe: it becomes the command's id, so a repeat of the
///   same request returns the first answer (with `Idempotent-Replayed: true`) and writes nothing;
///   the same key with a different body is refused (422).
/// - `If-Match: "<stream>:<version>"` (the `ETag` a read or an earlier command returned) makes the
///   command conditional: if the stream has moved on, 412 with the current `ETag` and nothing
///   written. Without it, a command whose streams changed between its read and its append is
///   decided again (up to three times) before 409.
///
/// A read-only replica (`vigil serve --read-only`) takes no command: 503 naming the leader, nothing
/// written.
///
/// Handlers run concurrently and meet only in the store's writer, which commits whatever is queued
/// in one transaction and one fsync: concurrent commands share commits.
struct CommandRoutes {
    let engine: Engine
    let accessLog: AccessLog
    let maxBodySize: Int
    let metrics: ServerMetrics
    let clock: ServerClock
    /// On a read-only replica, the leader that takes the commands; `nil` on the leader.
    let leader: String?

    static let endpoint = Endpoint(
        .post, "/v1/commands/{command}", operationId: "runCommand",
        summary: "Run a protocol command: validated against the log, appended atomically, answered once durable.",
        tag: "commands", access: .roles(CommandPermissions.anyCommand), document: document)

    static let endpoints = [endpoint]

    /// Every command operation's parameters and success responses.
    static let document = OperationDocument(
        parameters: [
            .init(
                "Idempotency-Key", in: .header,
                "A UUID, new for each command and the same for its retries: a retry returns the first answer.",
                schema: ##"{"type": "string", "format": "uuid"}"##, required: false),
            .init(
                "If-Match", in: .header,
                "The ETag of the state the command was decided on (\"<stream>:<version>\"): 412 if it moved on.",
                schema: ##"{"type": "string"}"##, required: false),
        ],
        responses: [
            .init(
                201, "appended and durable",
                content: ("application/json", ##"{"$ref": "#/components/schemas/CommandResult"}"##),
                headers: [("ETag", "The written stream's new version, for If-Match.")]),
            .init(
                200, "a retry: the first answer, nothing written",
                content: ("application/json", ##"{"$ref": "#/components/schemas/CommandResult"}"##),
                headers: [("Idempotent-Replayed", "true"), ("ETag", "The written stream's version.")]),
            .init(
                503,
                "a read-only replica (vigil serve --read-only), whose problem names the leader to send the command to in its leader member (type urn:vigil:problem:read-only-replica); or the daemon is shutting down or not ready",
                content: ("application/problem+json", ##"{"$ref": "#/components/schemas/Problem"}"##)),
        ])

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.endpoint, accessLog: accessLog) { request, context in
            try await run(request, context)
        }
    }

    private func run(_ request: Request, _ context: VigilRequestContext) async throws -> Response {
        guard let principal = context.principal, let name = context.parameters.get("command") else {
            throw Problem(.internalServerError, kind: "internal", title: "internal error", detail: "no caller")
        }
        guard CommandJSON.names.contains(name), !CommandPermissions.system.contains(name) else {
            throw Problem(
                .notFound, kind: "unknown-command", title: "unknown command",
                detail: "no command \(name); GET /v1/commands lists them")
        }
        let roles = CommandPermissions.roles(for: name)
        guard roles.contains(principal.role) else {
            try await accessLog.record(
                AccessLog.Entry(
                    action: Self.endpoint.operationId, status: 403, refusal: .roleNotAllowed,
                    authentication: context.authentication, caseId: nil, youthRef: nil, requestId: context.requestId))
            throw Problem(forbidden: principal, operation: name, roles: roles)
        }
        if let leader { throw Problem(readOnlyReplica: leader, command: name) }
        let body = try await collectBody(request)
        let commandId = try idempotencyKey(request)
        let conditions = try IfMatch.parse(request.headers[.ifMatch])
        let now = clock.now()
        let command = try CommandRequest.decoded(
            body: body, name: name, actor: principal.actor, commandId: commandId, now: now)
        do {
            return response(try await handle(command, conditions: conditions))
        } catch let rejection as CommandRejection {
            // Refused — but under its key the log may hold the command by now: a retry sent while the
            // first attempt was in flight can read the log before the first's append (no replay yet)
            // and decide after it (the request already open: 409). If the key's command is stored, this
            // is a retry of it, answered from the log once more (a different command under the key is
            // then refused as a duplicate). A retry that left occurredAt to the daemon is the same
            // command at the first attempt's time. Looked up only here, on a refused keyed command.
            guard let commandId, let first = try engine.commands.occurredAt(ofCommand: commandId) else {
                throw rejection
            }
            let retry = try CommandRequest.decoded(
                body: body, name: name, actor: principal.actor, commandId: commandId,
                now: command.command.envelope.occurredAt == now ? first : now)
            return response(try await handle(retry, conditions: conditions))
        }
    }

    /// Decides and appends, deciding again when another command changed a stream in between.
    private func handle(_ command: DecodedCommand, conditions: IfMatch?) async throws -> CommandResult {
        var attempt = 0
        while true {
            attempt += 1
            let prepared = try engine.commands.prepare(command)
            if let conditions { try conditions.check(prepared, store: engine.store) }
            do {
                let start = ContinuousClock.now
                let result = try await engine.commands.commit(prepared)
                metrics.commandHandled(result, append: result.alreadyStored ? nil : ContinuousClock.now - start)
                return result
            } catch let rejection as CommandRejection
                where rejection.code == .streamVersionConflict && conditions == nil && attempt < 3
            {
                metrics.commandRetried()
                continue
            }
        }
    }

    private func collectBody(_ request: Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw Problem(
                .contentTooLarge, kind: "body-too-large", title: "body too large",
                detail: "a command body may be at most \(maxBodySize) bytes")
        }
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(
                .unsupportedMediaType, kind: "unsupported-media-type", title: "unsupported media type",
                detail: "a command body is JSON: Content-Type: application/json, got \(type)")
        }
        return Array(buffer.readableBytesView)
    }

    private func idempotencyKey(_ request: Request) throws -> UUID? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard let id = UUID(text: key.trimmingOptionalWhitespace) else {
            throw Problem(
                .badRequest, kind: "invalid-idempotency-key", title: "invalid Idempotency-Key",
                detail:
                    "Idempotency-Key must be a UUID (a new one per command, the same one for its retries), got \(key.prefix(80))"
            )
        }
        return id
    }

    private func response(_ result: CommandResult) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if result.alreadyStored { headers[.idempotentReplayed] = "true" }
        if let primary = result.events.first {
            let last = result.events.last { $0.stream == primary.stream } ?? primary
            headers[.eTag] = IfMatch.tag(stream: last.stream, version: last.version)
        }
        return Response(
            status: result.alreadyStored ? .ok : .created, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.jsonBytes)))
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `Idempotent-Replayed: true` on the answer to a retry.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

extension Problem {
    /// 503 from a read-only replica: commands go to the leader, named in `leader`.
    init(readOnlyReplica leader: String, command: String) {
        self.init(
            .serviceUnavailable, kind: "read-only-replica", title: "read-only replica",
            detail:
                "this daemon serves a read-only replica and takes no command: send \(command) to the leader at \(leader)",
            extensions: [("leader", .string(leader))])
    }
}
