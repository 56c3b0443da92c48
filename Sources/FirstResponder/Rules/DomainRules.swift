import EventStore

/// The one rule set: every domain event, whether a command decided it or `vigil import` brought it,
/// is checked here against the log's current state before the log takes it — the stream's aggregate
/// (the case lifecycle, the arrest, the operation, the cohort, the training log, the responder, the
/// roster, the policy, the timers), what it names in other streams, and the order of its times.
///
/// An admitted event is folded into the working state, so the next event of the same command or
/// batch is checked against it.
enum DomainRules {
    /// Checks `event` (its type's current version) as appended to its stream at `occurredAt`, by a
    /// log that received it at `receivedAt`, and folds it into `log`. `position` is the event's
    /// position when it is known (a restore), else the next one.
    static func admit(
        _ event: any DomainEvent, occurredAt: Timestamp, receivedAt: Timestamp, clockSkewSeconds: Int64,
        position: UInt64? = nil, _ log: LogState
    ) throws {
        try TimeRules.received(occurredAt, by: receivedAt, skewSeconds: clockSkewSeconds, pointer: "/occurredAt")
        guard let catalogEvent = CatalogEvent(event) else {
            throw RuleViolation(.unknownRecord, at: "/type", "\(event.eventType) is not an event of the catalog")
        }
        let stream = event.streamName
        let position = try position ?? log.nextPosition()
        func facts(_ version: UInt64) -> EventFacts {
            EventFacts(position: position, version: version + 1, occurredAt: occurredAt)
        }
        switch Self.kind(of: stream) {
        case .case:
            try log.modify(stream, as: CaseFile.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .arrest:
            try log.modify(stream, as: ArrestRecord.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .operation:
            try log.modify(stream, as: OperationRecord.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .cohort:
            try log.modify(stream, as: CohortRecord.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .responder:
            try log.modify(stream, as: ResponderRecord.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .roster:
            try log.modify(stream, as: RosterLog.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .training:
            try log.modify(stream, as: TrainingLog.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .policy:
            try log.modify(stream, as: PolicyLog.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .timers:
            try log.modify(stream, as: TimerLog.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .county:
            try log.modify(stream, as: CountyRegistry.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .checkpoints:
            try log.modify(stream, as: CheckpointLog.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case .legalHolds:
            try log.modify(stream, as: LegalHoldRegister.self) { try $0.admit(catalogEvent, facts($0.version), log) }
        case nil:
            throw RuleViolation(.unknownRecord, at: "/stream", "\(stream) is not a stream the catalog names")
        }
        log.countAdmitted()
    }

    /// The kinds of stream the catalog's events live in (docs/EVENTS.md, *Streams*).
    enum StreamKind {
        case `case`, arrest, operation, cohort, responder, roster, training, policy, timers, county, checkpoints,
            legalHolds
    }

    /// The kind of `stream`, by its name.
    static func kind(of stream: String) -> StreamKind? {
        if stream.hasPrefix("case-") { return .case }
        if stream.hasPrefix("arrest-") { return .arrest }
        if stream.hasPrefix("operation-") { return .operation }
        if stream.hasPrefix("cohort-") { return .cohort }
        if stream.hasPrefix("responder-") { return .responder }
        switch stream {
        case RosterView.rosterStream: return .roster
        case TrainingLog.stream: return .training
        case PolicyView.stream: return .policy
        case TimerLog.stream: return .timers
        case CountyRegistry.stream: return .county
        case CheckpointLog.stream: return .checkpoints
        case LegalHoldRegister.stream: return .legalHolds
        default: return nil
        }
    }
}
