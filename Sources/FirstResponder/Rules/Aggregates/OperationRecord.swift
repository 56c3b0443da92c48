public import EventStore

/// One law-enforcement operation as the rules read it: the fold of `operation-<operationId>`.
public struct OperationRecord: Aggregate {
    /// The operation.
    public let operationId: OperationID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The start, as recorded.
    public internal(set) var started: OperationStarted?
    /// When it began.
    public internal(set) var startedAt: Timestamp?
    /// When it ended, once it has.
    public internal(set) var endedAt: Timestamp?

    /// The stream of `operationId`.
    public static func stream(_ operationId: OperationID) -> String { "operation-\(operationId.rawValue)" }

    init?(stream: String) {
        guard stream.hasPrefix("operation-"), let id = OperationID(rawValue: String(stream.dropFirst(10))) else {
            return nil
        }
        operationId = id
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .operationStarted(let e):
            started = e
            startedAt = facts.occurredAt
        case .operationEnded:
            endedAt = facts.occurredAt
        default:
            break
        }
    }

    /// Checks an event of this operation's stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .operationStarted(let e):
            guard started == nil else {
                throw RuleViolation(.alreadyExists, at: "/data/operationId", "operation \(operationId) exists already")
            }
            try log.county().checkPlace(
                agency: e.agency, agencyName: e.agencyName, station: e.station, area: e.area, at: facts.occurredAt)
        case .operationEnded:
            guard let startedAt else {
                throw RuleViolation(.unknownRecord, at: "/data/operationId", "operation \(operationId) never started")
            }
            guard endedAt == nil else {
                throw RuleViolation(
                    .recordClosed, at: "/data/operationId", "operation \(operationId) has ended already")
            }
            try TimeRules.notBefore(
                facts.occurredAt, startedAt, .endsBeforeStart, "the start of operation \(operationId)")
        default:
            break
        }
        fold(event, facts)
    }

    /// Checks that `time` (the fact's `what`) falls while the operation ran: at or after its start,
    /// and at or before its end once it has ended.
    func requireDuring(_ time: Timestamp, what: String, pointer: String) throws {
        guard let startedAt else { return }
        if time < startedAt || endedAt.map({ time > $0 }) == true {
            let end = endedAt.map { "ended \($0)" } ?? "not ended"
            throw RuleViolation(
                .outsideOperation, at: pointer,
                "\(what) \(time) is outside operation \(operationId) (started \(startedAt), \(end))")
        }
    }
}
