public import EventStore

/// One law-enforcement operation as the rules read it: the fold of `operation-<operationId>` — its
/// start with every correction applied, its own start and end times, and whether it was voided.
public struct OperationRecord: Aggregate {
    /// The operation.
    public let operationId: OperationID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The start, as corrected.
    public internal(set) var started: OperationStarted?
    /// When it began: the start's occurredAt, or `startedAt` as last corrected.
    public internal(set) var startedAt: Timestamp?
    /// When the start was recorded.
    public internal(set) var recordedAt: Timestamp?
    /// The log position of the start: every fact naming the operation was linked after it.
    var startPosition: UInt64?
    /// When it ended, once it has: the end's occurredAt, or `endedAt` as last corrected.
    public internal(set) var endedAt: Timestamp?
    /// Whether it was voided (`OperationVoided`): nothing may name it any more.
    public internal(set) var voided = false

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
            recordedAt = facts.occurredAt
            startPosition = facts.position
        case .operationEnded:
            endedAt = facts.occurredAt
        case .operationCorrected(let e):
            started = started?.applying(e.corrections)
            startedAt = e.corrections.startedAt ?? startedAt
            endedAt = e.corrections.endedAt ?? endedAt
        case .operationVoided:
            voided = true
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
            let startedAt = try countable(facts)
            guard endedAt == nil else {
                throw RuleViolation(
                    .recordClosed, at: "/data/operationId", "operation \(operationId) has ended already")
            }
            try TimeRules.notBefore(
                facts.occurredAt, startedAt, .endsBeforeStart, "the start of operation \(operationId)")
            try requireFactsInside(from: startedAt, to: facts.occurredAt, pointer: "/occurredAt", log)
        case .operationCorrected(let e):
            let startedAt = try countable(facts)
            try checkCorrection(e.corrections, facts, log)
            // A window that narrows may not leave out an arrest or recovery already in the operation.
            let start = e.corrections.startedAt ?? startedAt
            let end = e.corrections.endedAt ?? endedAt
            var earlierEnd = false
            if let corrected = e.corrections.endedAt, let recorded = endedAt { earlierEnd = corrected < recorded }
            if start > startedAt || earlierEnd {
                let pointer = start > startedAt ? "/data/corrections/startedAt" : "/data/corrections/endedAt"
                try requireFactsInside(from: start, to: end, pointer: pointer, log)
            }
        case .operationVoided:
            _ = try countable(facts)
        default:
            break
        }
        fold(event, facts)
    }

    /// The operation's start, started and not voided, and `facts` not before it was recorded.
    private func countable(_ facts: EventFacts) throws -> Timestamp {
        guard let startedAt, let recordedAt else {
            throw RuleViolation(.unknownRecord, at: "/data/operationId", "operation \(operationId) never started")
        }
        guard !voided else {
            throw RuleViolation(.recordClosed, at: "/data/operationId", "operation \(operationId) was voided")
        }
        try TimeRules.notBefore(
            facts.occurredAt, recordedAt, .beforeItsFact, "operation \(operationId) was recorded")
        return startedAt
    }

    /// A correction: `endedAt` needs an end; its times are not after the correction and the end not
    /// before the start, as corrected; the place it names is the county's.
    private func checkCorrection(_ c: OperationCorrected.Corrections, _ facts: EventFacts, _ log: LogState) throws {
        if c.endedAt != nil, endedAt == nil {
            throw RuleViolation(
                .unknownRecord, at: "/data/corrections/endedAt", "operation \(operationId) has not ended")
        }
        for (field, time) in [("startedAt", c.startedAt), ("endedAt", c.endedAt)] {
            if let time {
                try TimeRules.atOrBefore(
                    time, facts.occurredAt, .afterItsReport, field, pointer: "/data/corrections/\(field)")
            }
        }
        let start = c.startedAt ?? startedAt!
        if let end = c.endedAt ?? endedAt, c.startedAt != nil || c.endedAt != nil {
            try TimeRules.notBefore(
                end, start, .endsBeforeStart, "the start of operation \(operationId)",
                pointer: c.endedAt == nil ? "/data/corrections/startedAt" : "/data/corrections/endedAt")
        }
        let place = CountyRegistry.PlacePointers(
            agency: c.agency.map { _ in "/data/corrections/agency" },
            agencyName: c.agencyName.map { _ in "/data/corrections/agencyName" },
            station: c.station.map { _ in "/data/corrections/station" },
            area: c.area.map { _ in "/data/corrections/area" })
        if let operation = started?.applying(c),
            place.agency != nil || place.agencyName != nil || place.station != nil || place.area != nil
        {
            try log.county().checkPlace(
                agency: operation.agency, agencyName: operation.agencyName, station: operation.station,
                area: operation.area, at: start, pointers: place)
        }
    }

    /// Checks that every counted fact in the operation falls between `start` and `end` (open when
    /// `nil`): ending or correcting the operation must not leave one outside it (correct or unlink the
    /// fact first).
    private func requireFactsInside(from start: Timestamp, to end: Timestamp?, pointer: String, _ log: LogState)
        throws
    {
        let facts = try log.facts(inOperation: operationId, startPosition: startPosition ?? 0)
        for fact in facts.sorted(by: { $0.at < $1.at })
        where fact.at < start || end.map({ fact.at > $0 }) == true {
            let window = "from \(start)" + (end.map { " to \($0)" } ?? "")
            throw RuleViolation(
                .outsideOperation, at: pointer,
                "\(fact.what) at \(fact.at) would fall outside operation \(operationId) (\(window)); correct or unlink it first"
            )
        }
    }

    /// Checks that `time` (the fact's `what`) falls while the operation ran: at or after its start,
    /// and at or before its end once it has ended (both as corrected).
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

extension OperationStarted {
    /// The operation with `corrections` applied, each corrected field replaced whole; correcting
    /// `agency` to one of the named agencies clears `agencyName` (as for arrests). Views and reports
    /// fold corrections with this, as the rules do.
    public func applying(_ corrections: OperationCorrected.Corrections) -> OperationStarted {
        var o = self
        if let v = corrections.name { o.name = v }
        if let v = corrections.agency {
            o.agency = v
            if v != .other { o.agencyName = nil }
        }
        if let v = corrections.agencyName { o.agencyName = v }
        if let v = corrections.area { o.area = v }
        if let v = corrections.station { o.station = v }
        if let v = corrections.focus { o.focus = OperationStarted.Focus(rawValue: v.rawValue) }
        return o
    }
}
