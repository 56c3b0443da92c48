import EventStore

/// The roster as the rules read it: the fold of the `roster` stream — whose each shift is, and the
/// time off recorded.
public struct RosterLog: Aggregate {
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// Each shift's responder, swaps applied.
    public internal(set) var shifts: [ShiftID: ResponderID] = [:]
    /// The time off recorded.
    public internal(set) var timeOff: Set<TimeOffID> = []

    init?(stream: String) {
        guard stream == RosterView.rosterStream else { return nil }
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .shiftScheduled(let e): shifts[e.shiftId] = e.responderId
        case .shiftSwapped(let e): shifts[e.shiftId] = e.toResponderId
        case .timeOffRecorded(let e): timeOff.insert(e.timeOffId)
        default: break
        }
    }

    /// Checks an event of the roster stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .shiftScheduled(let e):
            guard shifts[e.shiftId] == nil else {
                throw RuleViolation(.alreadyExists, at: "/data/shiftId", "shift \(e.shiftId) is scheduled already")
            }
            try log.responder(e.responderId, at: "/data/responderId").requireActive(at: "/data/responderId")
            if let areas = e.areas {
                let county = try log.county()
                for (i, area) in areas.enumerated() {
                    try county.checkArea(area, at: facts.occurredAt, pointer: "/data/areas/\(i)")
                }
            }
        case .shiftSwapped(let e):
            guard let holder = shifts[e.shiftId] else {
                throw RuleViolation(.unknownRecord, at: "/data/shiftId", "no shift \(e.shiftId)")
            }
            guard holder == e.fromResponderId else {
                throw RuleViolation(
                    .notAssigned, at: "/data/fromResponderId",
                    "shift \(e.shiftId) is \(holder)'s, not \(e.fromResponderId)'s")
            }
            try log.responder(e.toResponderId, at: "/data/toResponderId").requireActive(at: "/data/toResponderId")
        case .timeOffRecorded(let e):
            guard !timeOff.contains(e.timeOffId) else {
                throw RuleViolation(
                    .alreadyExists, at: "/data/timeOffId", "time off \(e.timeOffId) is recorded already")
            }
            let responder = try log.responder(e.responderId, at: "/data/responderId")
            guard responder.registration != nil else {
                throw RuleViolation(.unknownResponder, at: "/data/responderId", "\(e.responderId) is not registered")
            }
        default:
            break
        }
        fold(event, facts)
    }
}
