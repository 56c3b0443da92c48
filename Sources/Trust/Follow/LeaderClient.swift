public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The leader's log over its HTTP API, as a follower reads it: single records of `GET /v1/events`
/// (to compare histories) and the Server-Sent Events of `GET /v1/events/stream?after=N` (to tail it).
/// The token must see every record: an auditor's, whose stream includes the access log.
public struct LeaderClient: Sendable {
    /// The leader's base URL, e.g. `http://10.0.0.5:8080`.
    public let base: URL
    let token: String

    /// A client of the leader at `base`, authenticating with `token`.
    public init(base: URL, token: String) {
        self.base = base
        self.token = token
    }

    /// A record of the leader's log: where it is and its chain hash.
    struct Record: Sendable {
        var position: UInt64
        var hash: String
    }

    /// The leader's record at `position`, or nil when its log is shorter; and its head.
    func record(at position: UInt64) async throws -> (record: Record?, head: UInt64) {
        var request = URLRequest(url: url("/v1/events?after=\(position - 1)&limit=1"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw Self.refused(status, data) }
        guard let page = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let head = (page["head"] as? NSNumber)?.uint64Value, let events = page["events"] as? [[String: Any]]
        else { throw TrustError(.leader, "the leader's GET /v1/events answer is not an event page") }
        guard let first = events.first else { return (nil, head) }
        guard let at = (first["position"] as? NSNumber)?.uint64Value, let hash = first["hash"] as? String else {
            throw TrustError(.leader, "the leader's GET /v1/events answer has an event without position or hash")
        }
        guard at == position else {
            throw TrustError(
                .leader,
                "the leader skipped position \(position) (it answered \(at)): the token does not see every record; give an auditor's token"
            )
        }
        return (Record(position: at, hash: hash), head)
    }

    /// The leader's log after `position` as it is appended: batches of export lines, each batch what
    /// one read of the connection delivered. Ends when the leader closes the stream; throws when
    /// the connection fails.
    func stream(after position: UInt64) -> AsyncThrowingStream<[ServerSentEvents.Message], any Error> {
        var request = URLRequest(url: url("/v1/events/stream?after=\(position)"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        request.timeoutInterval = 60
        return AsyncThrowingStream { continuation in
            let delegate = StreamDelegate(continuation: continuation)
            let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
            let task = session.dataTask(with: request)
            continuation.onTermination = { _ in
                task.cancel()
                session.invalidateAndCancel()
            }
            task.resume()
        }
    }

    private func url(_ pathAndQuery: String) -> URL {
        let text = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        return URL(string: text + pathAndQuery)!
    }

    static func refused(_ status: Int, _ body: Data) -> TrustError {
        let detail = String(decoding: body.prefix(300), as: UTF8.self)
        switch status {
        case 401, 403:
            return TrustError(.leader, "the leader refused the token (\(status)): give an auditor's token. \(detail)")
        default:
            return TrustError(.leader, "the leader answered \(status): \(detail)")
        }
    }
}

/// Feeds a streaming response's bytes, split into messages, to a stream's continuation.
private final class StreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let continuation: AsyncThrowingStream<[ServerSentEvents.Message], any Error>.Continuation
    private let parser = NSLock()
    private var events = ServerSentEvents()
    private var status = 0
    private var refusal = Data()

    init(continuation: AsyncThrowingStream<[ServerSentEvents.Message], any Error>.Continuation) {
        self.continuation = continuation
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        parser.withLock { status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let messages: [ServerSentEvents.Message] = parser.withLock {
            guard status == 200 else {
                refusal.append(data)
                return []
            }
            return events.feed(data)
        }
        if !messages.isEmpty { continuation.yield(messages) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (status, refusal) = parser.withLock { (self.status, self.refusal) }
        if let error {
            continuation.finish(throwing: error)
        } else if status != 200 {
            continuation.finish(throwing: LeaderClient.refused(status, refusal))
        } else {
            continuation.finish()
        }
        session.finishTasksAndInvalidate()
    }
}
