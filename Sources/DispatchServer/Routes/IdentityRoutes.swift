import EventStore
import FirstResponder
import Hummingbird
import NIOCore

/// `GET /v1/me` (who the token stands for), `GET /v1/commands` (the commands, and whether the
/// caller's role may run each) and `GET /v1/clock` (the daemon's time and pace): what a client needs
/// to show only the actions its user can take, and to count down to deadlines on the daemon's clock.
struct IdentityRoutes {
    let accessLog: AccessLog
    let clock: ServerClock

    static let me = Endpoint(
        .get, "/v1/me", operationId: "whoAmI", summary: "The token's holder, role and id.", tag: "session",
        access: .roles(Set(Role.allCases)),
        document: OperationDocument(responses: [
            .init(200, "the caller", content: ("application/json", ##"{"$ref": "#/components/schemas/Identity"}"##))
        ]))

    static let commands = Endpoint(
        .get, "/v1/commands", operationId: "listCommands",
        summary: "Every protocol command, with the roles that may run it.", tag: "commands",
        access: .roles(Role.people),
        document: OperationDocument(responses: [
            .init(
                200, "the commands", content: ("application/json", ##"{"$ref": "#/components/schemas/CommandList"}"##))
        ]))

    static let time = Endpoint(
        .get, "/v1/clock", operationId: "clock",
        summary: "The daemon's time, and how fast its clock runs (1 but for a demonstration).", tag: "session",
        access: .roles(Role.people),
        document: OperationDocument(responses: [
            .init(200, "the clock", content: ("application/json", ##"{"$ref": "#/components/schemas/Clock"}"##))
        ]))

    static let endpoints = [me, commands, time]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.me, accessLog: accessLog) { _, context in
            guard let principal = context.principal else { throw Problem.internal }
            var w = JSONWriter()
            w.beginObject()
            w.field("actor", principal.actor)
            w.field("role", principal.role.rawValue)
            w.field("tokenId", principal.tokenId)
            w.endObject()
            return Self.json(w.bytes)
        }
        router.add(Self.time, accessLog: accessLog) { _, _ in
            var w = JSONWriter()
            w.beginObject()
            w.field("now", clock.now().rfc3339)
            w.key("rate")
            w.number(clock.rate)
            w.endObject()
            return Self.json(w.bytes)
        }
        router.add(Self.commands, accessLog: accessLog) { _, context in
            let role = context.principal?.role
            var w = JSONWriter()
            w.beginObject()
            w.key("commands")
            w.beginArray()
            for name in CommandJSON.names where !CommandPermissions.system.contains(name) {
                let roles = CommandPermissions.roles(for: name)
                w.beginObject()
                w.field("name", name)
                w.key("roles")
                w.beginArray()
                for r in roles.sorted() { w.string(r.rawValue) }
                w.endArray()
                w.key("allowed")
                w.bool(role.map(roles.contains) ?? false)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            return Self.json(w.bytes)
        }
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
