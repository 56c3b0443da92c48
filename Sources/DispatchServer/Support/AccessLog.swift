import EventStore
import FirstResponder

/// The access log: every read of a case's or a youth's details, and every refused request, as an
/// `AccessRecorded` event in the `access` stream, appended through the writer (so it is chained and
/// durable like every record) before the answer is sent. A read whose record cannot be written is
/// not served.
///
/// The store is the daemon's own log, except on a read-only replica: there it is a store of its own
/// beside the replica (`vigil serve --read-only --access-data DIR`), with its own chain, which
/// `vigil verify` and `vigil audit access` read like any store.
struct AccessLog: Sendable {
    /// The stream the records go to.
    static let stream = "access"
    /// The actor of records about requests without a valid token.
    static let anonymous = "system:http"

    /// Where the records are appended (and read back by `GET /v1/audit/access`).
    let store: EventStore
    /// The daemon's clock: a record's occurredAt.
    let clock: ServerClock

    /// One record.
    struct Entry {
        var action: String
        var status: Int
        var refusal: AccessRecorded.Refusal?
        var authentication: Result<Principal, TokenRegistry.Failure>
        var presentedTokenId: String?
        var caseId: String?
        var youthRef: String?
        var requestId: String

        /// What happened, as the record says it: refused (with the refusal), nothing to serve (404:
        /// not-found; 410: gone, a sealed record), or allowed (the data was served).
        var outcome: AccessRecorded.Outcome {
            if refusal != nil { return .refused }
            switch status {
            case 404: return .notFound
            case 410: return .gone
            default: return .allowed
            }
        }
    }

    /// Appends `entry` and returns once it is durable.
    func record(_ entry: Entry) async throws {
        let principal = try? entry.authentication.get()
        let event = AccessRecorded(
            action: entry.action,
            outcome: entry.outcome,
            status: entry.status,
            refusal: entry.refusal,
            tokenId: principal?.tokenId ?? entry.presentedTokenId,
            role: principal.flatMap { AccessRecorded.Role(rawValue: $0.role.rawValue) },
            caseId: entry.caseId.flatMap(CaseID.init(rawValue:)),
            youthRef: entry.youthRef.flatMap(YouthRef.init(rawValue:)),
            requestId: String(entry.requestId.prefix(64)))
        let newEvent = event.newEvent(occurredAt: clock.now(), actor: principal?.actor ?? Self.anonymous)
        _ = try await store.append(AppendRequest(events: [newEvent]))
    }
}
