import EventStore

/// One responder as the rules read them: the fold of `responder-<responderId>` — registration,
/// deactivation and board status.
public struct ResponderRecord: Aggregate {
    /// The responder.
    public let responderId: ResponderID
    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The latest registration.
    public internal(set) var registration: ResponderRegistered?
    /// Whether deactivated since.
    public internal(set) var deactivated = false
    /// The board status.
    public internal(set) var status: ResponderStatus = .available

    init?(stream: String) {
        guard stream.hasPrefix("responder-"), let id = ResponderID(rawValue: String(stream.dropFirst(10))) else {
            return nil
        }
        responderId = id
    }

    /// Whether a dispatch holds them.
    public var isCommitted: Bool { status.isCommitted }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        switch event {
        case .responderRegistered(let e):
            registration = e
            deactivated = false
            status = .available
        case .responderDeactivated:
            deactivated = true
        case .responderStatusChanged(let e):
            status = e.status
        default:
            break
        }
    }

    /// Checks an event of this responder's stream, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        switch event {
        case .responderRegistered(let e):
            guard registration == nil || deactivated else {
                throw RuleViolation(
                    .alreadyExists, at: "/data/responderId", "\(responderId) is registered and active")
            }
            let county = try log.county()
            for (i, area) in e.areas.enumerated() {
                try county.checkArea(area, at: facts.occurredAt, pointer: "/data/areas/\(i)")
            }
            for (i, station) in (e.stations ?? []).enumerated() {
                try county.checkStation(station, at: facts.occurredAt, pointer: "/data/stations/\(i)")
            }
        case .responderDeactivated:
            try requireActive(at: "/data/responderId")
            guard !isCommitted else {
                throw RuleViolation(
                    .responderCommitted, at: "/data/responderId", "\(responderId) is \(status.rawValue)")
            }
        case .responderStatusChanged(let e):
            try requireActive(at: "/data/responderId")
            if let previous = e.previousStatus, previous != status {
                throw RuleViolation(
                    .statusMismatch, at: "/data/previousStatus",
                    "\(responderId) is \(status.rawValue) on the board, not \(previous.rawValue)")
            }
        default:
            break
        }
        fold(event, facts)
    }

    /// Checks that the responder is registered and not deactivated; errors at `pointer`.
    func requireActive(at pointer: String) throws {
        guard registration != nil else {
            throw RuleViolation(.unknownResponder, at: pointer, "\(responderId) is not registered")
        }
        guard !deactivated else {
            throw RuleViolation(.responderDeactivated, at: pointer, "\(responderId) is deactivated")
        }
    }
}
