import Crypto
import EventStore
import Foundation
import Hummingbird
import NIOCore
import Projections
import ServiceLifecycle
import VigilEngine

/// `GET /v1/views/case-board/stream`: the live case board as Server-Sent Events — the whole board
/// (the same document as `GET /v1/views/case-board`) each time it changes, its `id`
/// `<position>.<digest>`: the log position the views stood at and a digest of what the board shows.
/// The dispatcher's page follows it.
///
/// The board changes when the views fold new events, and as time passes (a clock's responder can no
/// longer make it: at risk; a deadline passes: breached); the stream looks again after every fold
/// and every few seconds, and sends only a board that differs from the last one sent (countdowns are
/// the client's to run, from each clock's `deadlineAt`; events that leave the board as it was, such as
/// the access log's records, send nothing). A client that reconnects with `Last-Event-ID` gets the
/// current board unless its digest says the client holds it already: a board is a state, so there is
/// nothing in between to miss, and nothing is sent twice.
struct BoardStreamRoutes {
    let engine: Engine
    let clock: ServerClock
    let state: ServerState
    let accessLog: AccessLog
    let heartbeat: Duration
    /// How often the board is evaluated again while no event arrives.
    let recheck: Duration

    static let endpoint = Endpoint(
        .get, "/v1/views/case-board/stream", operationId: "streamCaseBoard",
        summary: "Follow the case board as Server-Sent Events: the whole board each time it changes.", tag: "views",
        access: .roles(Role.caseReaders), logsAccess: true,
        document: OperationDocument(
            parameters: Array(ViewRoutes.caseBoard.document.parameters.dropFirst()) + [
                .init(
                    "Last-Event-ID", in: .header, "The id of the last board received: sent again only if it changed.",
                    schema: ##"{"type": "string", "pattern": "^[0-9]{1,19}\\.[0-9a-f]{16}$"}"##, required: false)
            ],
            responses: [
                .init(
                    200, "the stream: id is <position>.<digest>, event `board`, data the CaseBoard",
                    content: ("text/event-stream", ##"{"type": "string"}"##))
            ]))

    static let endpoints = [endpoint]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.endpoint, accessLog: accessLog) { request, _ in
            try stream(request)
        }
    }

    private func stream(_ request: Request) throws -> Response {
        let resume = request.headers[.lastEventID].flatMap(Self.digest(ofId:))
        let base = try ViewRoutes.boardQuery(QueryParameters(request), clock: clock)
        let (engine, clock, views, heartbeat, recheck) = (
            self.engine, self.clock, state.views, self.heartbeat, self.recheck
        )
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var sent = resume  // the digest of the board the client holds
            var quietSince = ContinuousClock.now
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var query = base
                query.now = clock.now()
                let board = try engine.projections.read { try query.run($0) }
                let digest = try Self.digest(board)
                if digest != sent {
                    var chunk = ByteBuffer(string: "id: \(board.position).\(digest)\nevent: board\ndata: ")
                    chunk.writeBytes(try ViewRoutes.encode(board))
                    chunk.writeString("\n\n")
                    try await writer.write(chunk)
                    sent = digest
                    quietSince = .now
                } else if ContinuousClock.now - quietSince >= heartbeat {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quietSince = .now
                }
                let position = board.position
                _ = await Wakeup.first(timeout: recheck) { await views.wait(beyond: position) }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// The digest part of a board's event id (`<position>.<digest>`), or `nil` for another id.
    static func digest(ofId id: String) -> String? {
        let parts = id.split(separator: ".")
        guard parts.count == 2, parts[1].count == 16 else { return nil }
        return String(parts[1])
    }

    /// A digest of the board without what moves on its own — the evaluation time, seconds left,
    /// expected arrivals (estimated from now), the log position (events that leave the board as it was, such as the access log's records, move
    /// it): equal digests mean nothing a client shows has changed.
    static func digest(_ board: CaseBoard) throws -> String {
        var board = board
        board.now = ""
        board.position = 0
        board.lag = 0
        for i in board.cases.indices {
            for j in board.cases[i].clocks.indices { board.cases[i].clocks[j].secondsLeft = 0 }
            // Expected arrivals are estimates from now: they move with the clock; `atRisk` says when it matters.
            for j in board.cases[i].requests.indices { board.cases[i].requests[j].expectedAt = nil }
        }
        return SHA256.hash(data: try ViewRoutes.encode(board)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
