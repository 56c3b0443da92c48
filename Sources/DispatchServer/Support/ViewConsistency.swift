import EventStore
import Hummingbird

/// Reading one's own writes from the views. The views fold the log after each commit (at most once
/// per ``ServerConfiguration/viewsInterval``), so a read sent right after a command may find them
/// before it. A command's answer gives the positions of its events; a read of the views given
/// `?minPosition=P` answers only once they have folded position `P` (every view, so the case board
/// and a case's record agree with each other and with the log up to there).
///
/// The wait is bounded (``limit``): views still short of `P` then get 503 `views-behind` with
/// `Retry-After`, and the read can be sent again. On the leader a position the log has not reached
/// is the client's mistake (400 naming `minPosition`): positions come from answers, which are given
/// after the commit. A read-only replica waits for it as for the views: the leader's answer may be
/// ahead of what the replica has copied.
struct ViewConsistency: Sendable {
    /// Where the views stand.
    let views: HeadNotifier
    let store: EventStore
    /// The longest a read waits for the views.
    let limit: Duration

    static let parameterName = "minPosition"

    /// The parameter every endpoint that reads the views takes (``Endpoint/readsViews``).
    static let parameter = OperationDocument.Parameter(
        parameterName, in: .query,
        "Answer only once the views have folded the log up to this position (a command's answer gives its events' "
            + "positions): a client reads its own writes. Waits a bounded time (5 s by default), then 503 views-behind with "
            + "Retry-After.",
        schema: ##"{"type": "integer", "minimum": 0}"##, required: false)

    /// Returns once the views have folded `request`'s `minPosition` (at once without one).
    func wait(for request: Request) async throws {
        guard let wanted = try QueryParameters(request).position(Self.parameterName),
            views.position < wanted
        else { return }
        if !store.isReadOnly {
            let head = try store.head().position
            if wanted > head {
                throw QueryParameters.invalid(
                    Self.parameterName, "a position the log has reached (its head is \(head))", String(wanted))
            }
        }
        let views = self.views
        if await Wakeup.first(timeout: limit, { await views.wait(beyond: wanted - 1) }) { return }
        let folded = views.position
        guard folded < wanted else { return }
        throw Problem(
            .serviceUnavailable, kind: "views-behind", title: "views behind",
            detail:
                "the views have folded the log up to position \(folded), not yet \(wanted) (minPosition): send the read again",
            extensions: [("viewsPosition", .integer(Int64(folded))), ("minPosition", .integer(Int64(wanted)))],
            headers: [.retryAfter: "1"])
    }
}
