public import EventStore
public import FirstResponder

/// Reading the access log back: `vigil audit access` and the auditor's `GET /v1/audit/access`.
public enum AccessLogReader {
    /// Which records to show.
    public struct Filter: Sendable {
        /// Only records about this case.
        public var caseId: String?
        /// Only records about this youth (reads of their identifying details, and refusals of them).
        public var youthRef: String?
        /// Only records of this actor (`user:dispatcher-7`, `system:http`).
        public var actor: String?
        /// Only refusals.
        public var refusedOnly: Bool
        /// Only records with this outcome (`allowed`, `refused`, `not-found`, `gone`).
        public var outcome: AccessRecorded.Outcome?
        /// Only records from this instant (occurredAt, inclusive).
        public var from: Timestamp?
        /// Only records before this instant (occurredAt, exclusive).
        public var to: Timestamp?

        /// A filter; the default shows everything.
        public init(
            caseId: String? = nil, youthRef: String? = nil, actor: String? = nil, refusedOnly: Bool = false,
            outcome: AccessRecorded.Outcome? = nil, from: Timestamp? = nil, to: Timestamp? = nil
        ) {
            self.caseId = caseId
            self.youthRef = youthRef
            self.actor = actor
            self.refusedOnly = refusedOnly
            self.outcome = outcome
            self.from = from
            self.to = to
        }

        func admits(_ stored: RecordedEvent, _ record: AccessRecorded) -> Bool {
            if let caseId, record.caseId?.rawValue != caseId { return false }
            if let youthRef, record.youthRef?.rawValue != youthRef { return false }
            if let actor, stored.actor != actor { return false }
            if refusedOnly && record.outcome != .refused { return false }
            if let outcome, record.outcome != outcome { return false }
            if let from, stored.occurredAt < from { return false }
            if let to, stored.occurredAt >= to { return false }
            return true
        }
    }

    /// The outcomes a filter takes, as written (`allowed`, `refused`, `not-found`, `gone`), for errors
    /// and help: a lookup that served nothing is `not-found` (404) or `gone` (410, a sealed record).
    public static let outcomeNames = AccessRecorded.Outcome.allCases.map(\.rawValue)

    /// `allowed, refused, not-found or gone`.
    public static var outcomeList: String {
        outcomeNames.dropLast().joined(separator: ", ") + " or " + (outcomeNames.last ?? "")
    }

    /// Calls `body` with each record that `filter` admits, oldest first, reading the stream in
    /// chunks; stops after `limit` records. Returns the number shown.
    @discardableResult
    public static func read(
        _ store: EventStore, filter: Filter = Filter(), limit: Int = .max,
        _ body: (RecordedEvent, AccessRecorded) throws -> Void
    ) throws -> Int {
        var version: UInt64 = 1
        var shown = 0
        while shown < limit {
            let chunk = try store.readStream(AccessLog.stream, from: version, limit: 1_024)
            guard !chunk.isEmpty else { break }
            for stored in chunk where shown < limit {
                guard let record = try EventCatalog.decode(stored) as? AccessRecorded else { continue }
                if filter.admits(stored, record) {
                    try body(stored, record)
                    shown += 1
                }
            }
            version = chunk.last!.version + 1
        }
        return shown
    }

    /// One record as a JSON object: position, time, actor, the record's fields, and its chain hash.
    public static func json(_ stored: RecordedEvent, _ record: AccessRecorded) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("position", stored.position)
        w.field("occurredAt", stored.occurredAt.rfc3339)
        w.field("recordedAt", stored.recordedAt.rfc3339)
        w.field("actor", stored.actor)
        w.key("record")
        w.raw(record.jsonBytes())
        w.field("hash", stored.hashHex)
        w.endObject()
        return w.bytes
    }

    /// One record as a line for a person.
    public static func line(_ stored: RecordedEvent, _ record: AccessRecorded) -> String {
        var parts = [
            stored.occurredAt.rfc3339, stored.actor, record.action, record.outcome.rawValue, String(record.status),
        ]
        if let refusal = record.refusal { parts.append(refusal.rawValue) }
        if let caseId = record.caseId { parts.append("case \(caseId.rawValue)") }
        if let youth = record.youthRef { parts.append("youth \(youth.rawValue)") }
        if let token = record.tokenId { parts.append(token) }
        parts.append("request \(record.requestId)")
        return "#\(stored.position) " + parts.joined(separator: "  ")
    }
}
