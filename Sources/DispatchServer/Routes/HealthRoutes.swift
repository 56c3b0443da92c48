import EventStore
import Hummingbird
import NIOCore
import VigilEngine

/// `/healthz` and `/readyz`, for the supervisor (systemd, a load balancer, Prometheus). Neither needs
/// a token, and neither says anything about a case.
///
/// - `/healthz`: the process answers (200 `ok`). Restart it when this fails.
/// - `/readyz`: the daemon can take work: the store reads and takes writes, the timer loop has fired
///   everything that fell due while the daemon was down, the views have caught up with the log (a
///   rebuild after an upgrade included), and it is not shutting down. 503 with the reason otherwise.
///   While writes are refused for want of space (a full disk: commands and reads of case details
///   answer 507), readiness says `degraded: storage full` — until a write succeeds again, or none has
///   been refused for ``ServerConfiguration/storageFullHold`` — and `/healthz` stays ok: restarting the
///   daemon would not free a byte. A read-only replica is ready once it has read the replica, and
///   not while it cannot (the follower's store, ``ReplicaService``) or cannot read the access store
///   its reads of case details are recorded in: without it, it could serve none.
struct HealthRoutes {
    let engine: Engine
    let state: ServerState

    let accessLog: AccessLog

    static let health = Endpoint(
        .get, "/healthz", operationId: "health", summary: "The process answers.", tag: "operations", access: .open,
        document: OperationDocument(responses: [.init(200, "ok", content: ("text/plain", ##"{"type": "string"}"##))]))

    static let ready = Endpoint(
        .get, "/readyz", operationId: "ready",
        summary:
            "The daemon takes work: the store reads and has space to write, overdue timers have fired, the views are current.",
        tag: "operations",
        access: .open,
        document: OperationDocument(responses: [.init(200, "ready", content: ("text/plain", ##"{"type": "string"}"##))])
    )

    static let endpoints = [health, ready]

    func register(on router: Router<VigilRequestContext>) {
        router.add(Self.health, accessLog: accessLog) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.add(Self.ready, accessLog: accessLog) { _, _ in
            try readiness()
        }
    }

    private func readiness() throws -> Response {
        if state.shuttingDown { throw notReady("the daemon is shutting down") }
        let head: LogHead
        do {
            head = try engine.store.head()
        } catch {
            throw notReady("the store cannot be read: \(error)")
        }
        if let failure = state.replicaFailure { throw notReady("the replica cannot be read: \(failure)") }
        // What the daemon writes: its log, or a replica's access store (a replica writes nothing else).
        var written = head
        if accessLog.store !== engine.store {
            do {
                written = try accessLog.store.head()
            } catch {
                throw notReady(
                    "the access store cannot be read: \(error); reads of case details cannot be recorded, so none "
                        + "can be served")
            }
        }
        if let since = state.storageFullSince(head: written.position) {
            throw notReady(
                "degraded: storage full — writes have been refused for want of space (a full disk or the store's "
                    + "size limit) for \((ContinuousClock.now - since).components.seconds) s: commands and reads of "
                    + "case details answer 507 and nothing is written; free space on the data directory's disk "
                    + "(the daemon keeps running; /healthz stays ok)")
        }
        if !state.timersCaughtUp {
            throw notReady("the timer loop has not yet fired the timers that fell due while the daemon was down")
        }
        if !state.viewsCaughtUp { throw notReady("the views are catching up with the log") }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "ready: log head \(head.position)\n")))
    }

    private func notReady(_ reason: String) -> Problem {
        Problem(.serviceUnavailable, kind: "not-ready", title: "not ready", detail: reason, headers: [.retryAfter: "1"])
    }
}
