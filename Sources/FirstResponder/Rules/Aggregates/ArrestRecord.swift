public import EventStore

/// One arrest as the rules read it: the fold of its stream (`arrest-<arrestId>`) — the arrest with
/// every correction applied, when it was recorded, and whether it was voided.
public struct ArrestRecord: Aggregate {
    /// The arrest.
    public let arrestId: ArrestID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The arrest as it stands: `ArrestRecorded` with every `ArrestCorrected` applied.
    public internal(set) var arrest: ArrestRecorded?
    /// When it was recorded (the `ArrestRecorded` event's occurredAt).
    public internal(set) var recordedAt: Timestamp?
    /// Whether it was voided (`ArrestVoided`): it no longer counts.
    public internal(set) var voided = false

    /// The stream of `arrestId`.
    public static func stream(_ arrestId: ArrestID) -> String { "arrest-\(arrestId.rawValue)" }

    init?(stream: String) {
        guard stream.hasPrefix("arrest-"), let id = ArrestID(rawValue: String(stream.dropFirst(7))) else { return nil }
        arrestId = id
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .arrestRecorded(let e):
            arrest = e
            recordedAt = facts.occurredAt
        case .arrestCorrected(let e):
            arrest = arrest?.applying(e.corrections)
        case .arrestVoided:
            voided = true
        default:
            break
        }
    }

    /// Checks an event of this arrest's stream against it and the log, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .arrestRecorded(let e):
            guard arrest == nil else {
                throw RuleViolation(.alreadyExists, at: "/data/arrestId", "arrest \(arrestId) is recorded already")
            }
            try Self.check(e, at: facts.occurredAt, pointers: .recorded, log)
        case .arrestCorrected(let e):
            let current = try countable(facts)
            try Self.check(
                current.applying(e.corrections), at: facts.occurredAt, pointers: .corrected(e.corrections), log)
        case .arrestVoided:
            _ = try countable(facts)
        default:
            break
        }
        fold(event, facts)
    }

    /// The arrest, recorded and not voided, and `facts` not before it was recorded.
    private func countable(_ facts: EventFacts) throws -> ArrestRecorded {
        guard let arrest, let recordedAt else {
            throw RuleViolation(.unknownRecord, at: "/data/arrestId", "arrest \(arrestId) was never recorded")
        }
        guard !voided else {
            throw RuleViolation(.recordClosed, at: "/data/arrestId", "arrest \(arrestId) was voided")
        }
        try TimeRules.notBefore(facts.occurredAt, recordedAt, .beforeItsFact, "the arrest was recorded")
        return arrest
    }

    /// Where each field of an arrest is reported: on a recorded arrest every field is checked; a
    /// correction re-checks only the fields it corrects (a station retired since the arrest was
    /// recorded does not stop a correction of its role), at their pointer inside `corrections`.
    enum Pointers {
        case recorded
        case corrected(ArrestCorrected.Corrections)

        /// The pointer of `field`, or `nil` when it is not checked.
        func field(_ name: String) -> String? {
            switch self {
            case .recorded:
                return "/data/\(name)"
            case .corrected(let c):
                let corrected: Bool =
                    switch name {
                    case "arrestedAt": c.arrestedAt != nil
                    case "linkedCaseIds": c.linkedCaseIds != nil
                    case "operationId": c.operationId != nil
                    case "agency": c.agency != nil
                    case "agencyName": c.agencyName != nil
                    case "station": c.station != nil
                    case "area": c.area != nil
                    default: false
                    }
                return corrected ? "/data/corrections/\(name)" : nil
            }
        }
    }

    /// The rules an arrest's facts follow, whether recorded or corrected: it happened by the time it
    /// was recorded, its linked cases were reported, and an operation it names ran when it happened.
    static func check(_ arrest: ArrestRecorded, at occurredAt: Timestamp, pointers: Pointers, _ log: LogState) throws {
        if let pointer = pointers.field("arrestedAt") {
            try TimeRules.atOrBefore(arrest.arrestedAt, occurredAt, .afterItsReport, "arrestedAt", pointer: pointer)
        }
        if let pointer = pointers.field("linkedCaseIds") {
            for (index, caseId) in arrest.linkedCaseIds.enumerated() {
                _ = try log.existingCase(caseId, at: "\(pointer)/\(index)")
            }
        }
        let place = CountyRegistry.PlacePointers(
            agency: pointers.field("agency"), agencyName: pointers.field("agencyName"),
            station: pointers.field("station"), area: pointers.field("area"))
        if place.agency != nil || place.agencyName != nil || place.station != nil || place.area != nil {
            try log.county().checkPlace(
                agency: arrest.agency, agencyName: arrest.agencyName, station: arrest.station, area: arrest.area,
                at: arrest.arrestedAt, pointers: place)
        }
        if let operationId = arrest.operationId,
            let pointer = pointers.field("arrestedAt") ?? pointers.field("operationId")
        {
            let operation = try log.runningOperation(operationId, at: pointers.field("operationId") ?? pointer)
            try operation.requireDuring(arrest.arrestedAt, what: "arrestedAt", pointer: pointer)
        }
    }
}

extension ArrestRecorded {
    /// The arrest with `corrections` applied: each corrected field replaced whole; `operationId`
    /// `null` unlinks the operation; correcting `agency` to one of the three named agencies clears
    /// `agencyName` (docs/EVENTS.md, *Corrections, versioning and upcasting*). Views that count
    /// arrests fold corrections with this, as the rules do.
    public func applying(_ corrections: ArrestCorrected.Corrections) -> ArrestRecorded {
        var a = self
        if let v = corrections.role { a.role = v }
        if let v = corrections.agency {
            a.agency = v
            if v != .other { a.agencyName = nil }
        }
        if let v = corrections.agencyName { a.agencyName = v }
        if let v = corrections.station { a.station = v }
        if let v = corrections.area { a.area = v }
        if let v = corrections.arrestedAt { a.arrestedAt = v }
        if let v = corrections.linkedCaseIds { a.linkedCaseIds = v }
        if let v = corrections.charges { a.charges = v }
        switch corrections.operationId {
        case .value(let id)?: a.operationId = id
        case .null?: a.operationId = nil
        case nil: break
        }
        return a
    }
}
