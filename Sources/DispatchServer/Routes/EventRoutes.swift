import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import VigilEngine

/// The log itself, for the dispatch desk and the auditors: `GET /v1/events` reads a page of it,
/// `GET /v1/events/stream` follows it as Server-Sent Events.
///
/// The stream's event ids are log positions. A client that reconnects with `Last-Event-ID` (browsers'
/// `EventSource` does so by itself) or `?after=N` gets every event after that position and then the
/// live ones: no gap and no duplicate across reconnects, because every event is read from the log
/// (commit notifications only wake the reader). A comment line every 15 seconds keeps proxies from
/// closing an idle stream. On shutdown the stream ends and the client reconnects to the next daemon.
///
/// Records of the access log (`access` stream) are shown to ``Role/accessLogReaders`` only (auditors,
/// and followers copying the whole log).
struct EventRoutes {
    let engine: Engine
    let accessLog: AccessLog
    let heartbeat: Duration

    static let readers = Role.logReaders

    static let list = Endpoint(
        .get, "/v1/events", operationId: "listEvents", summary: "Read the log: events after a position, oldest first.",
        tag: "log", access: .roles(readers), logsAccess: true,
        document: OperationDocument(
            parameters: [
                .init(
                    "after", in: .query, "Events after this position (default 0).",
                    schema: ##"{"type": "integer", "minimum": 0}"##, required: false),
                .init(
                    "limit", in: .query, "At most this many (1 to 1000, default 100).",
                    schema: ##"{"type": "integer", "minimum": 1, "maximum": 1000}"##, required: false),
            ],
            responses: [
                .init(
                    200, "a page of the log",
                    content: ("application/json", ##"{"$ref": "#/components/schemas/EventPage"}"##))
            ]))

    static let stream = Endpoint(
        .get, "/v1/events/stream", operationId: "streamEvents",
        summary: "Follow the log as Server-Sent Events, resumable with Last-Event-ID.", tag: "log",
        access: .roles(readers), logsAccess: true,
        document: OperationDocument(
            parameters: [
                .init(
                    "after", in: .query, "Start after this position (Last-Event-ID wins when both are given).",
                    schema: ##"{"type": "integer", "minimum": 0}"##, required: false),
                .init(
                    "Last-Event-ID", in: .header, "The id of the last event received: resume after it.",
                    schema: ##"{"type": "string", "pattern": "^[0-9]{1,19}$"}"##, required: false),
            ],
            responses: [
                .init(
                    200, "the stream: id is the position, event the type, data the event",
                    content: ("text/event-stream", ##"{"type": "string"}"##))
            ]))

    static let endpoints = [list, stream]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.list, accessLog: accessLog) { request, context in
            try list(request, context)
        }
        router.add(Self.stream, accessLog: accessLog) { request, context in
            try stream(request, context)
        }
    }

    private func list(_ request: Request, _ context: VigilRequestContext) throws -> Response {
        let query = QueryParameters(request)
        let after = try query.position("after") ?? 0
        let limit = try query.limit()
        let showAccess = context.principal.map { Role.accessLogReaders.contains($0.role) } ?? false
        let events = try engine.store.read(from: after + 1, limit: limit)
        var body: [UInt8] = Array(#"{"events":["#.utf8)
        var first = true
        for event in events where showAccess || event.stream != AccessLog.stream {
            if !first { body.append(UInt8(ascii: ",")) }
            first = false
            body += EventLine.export(event, renderBinary: DomainCodec.json)
        }
        let next = events.last?.position ?? after
        body += Array(#"],"next":\#(next),"head":\#(try engine.store.head().position)}"#.utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func stream(_ request: Request, _ context: VigilRequestContext) throws -> Response {
        let resume = try QueryParameters.position(request.headers[.lastEventID], name: "Last-Event-ID")
        let after = try resume ?? QueryParameters(request).position("after") ?? 0
        let showAccess = context.principal.map { Role.accessLogReaders.contains($0.role) } ?? false
        let store = engine.store
        let heartbeat = self.heartbeat
        let body = ResponseBody { writer in
            var position = after
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let events = try store.read(from: position + 1, limit: 256)
                if let last = events.last {
                    var chunk = ByteBuffer()
                    for event in events where showAccess || event.stream != AccessLog.stream {
                        chunk.writeString("id: \(event.position)\nevent: \(event.type)\ndata: ")
                        chunk.writeBytes(EventLine.export(event, renderBinary: DomainCodec.json))
                        chunk.writeString("\n\n")
                    }
                    if chunk.readableBytes == 0 {
                        // Only records hidden from this reader: move the resume point past them.
                        chunk.writeString("id: \(last.position)\n: \n\n")
                    }
                    try await writer.write(chunk)
                    position = last.position
                    continue
                }
                let seen = position
                if !(await Wakeup.first(timeout: heartbeat) { await store.waitForCommit(beyond: seen) }) {
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`, sent by a reconnecting `EventSource`.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
