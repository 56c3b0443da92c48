import EventStore

/// A responder is scheduled for a shift: `ShiftScheduled` in the `roster` stream (a shift id is
/// scheduled once; the responder must be registered and active).
public struct ScheduleShift: Command, JSONCommand {
    public static let name = "schedule-shift"
    public var envelope: CommandEnvelope
    /// The shift as the event records it.
    public var shift: ShiftScheduled

    /// The command.
    public init(shift: ShiftScheduled, envelope: CommandEnvelope) {
        self.shift = shift
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            shift: ShiftScheduled(
                shiftId: try f.id("shiftId", ShiftID.self), responderId: try f.id("responderId", ResponderID.self),
                startsAt: try f.timestamp("startsAt"), endsAt: try f.timestamp("endsAt"), onCall: try f.bool("onCall"),
                areas: try f.optional("areas") { (v) throws(DomainValidationError) in
                    try SchemaDecoding.array(v, minItems: 1) { (item) throws(DomainValidationError) in
                        try SchemaDecoding.enumeration(item, Area.self)
                    }
                }),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let roster = try context.roster()
        context.expectRoster(roster)
        guard roster.shifts[shift.shiftId] == nil else {
            throw CommandRejection(.alreadyExists, "shift \(shift.shiftId) is scheduled already", field: "/shiftId")
        }
        _ = try RosterCommands.activeResponder(shift.responderId, field: "/responderId", context)
        var decision = Decision()
        decision.append(shift)
        return decision
    }
}

/// A scheduled shift passes to another responder: `ShiftSwapped`. With `counterpartShiftId` (a shift
/// of the receiving responder) the two trade, one event per direction.
public struct SwapShift: Command, JSONCommand {
    public static let name = "swap-shift"
    public var envelope: CommandEnvelope
    /// The shift given away.
    public var shiftId: ShiftID
    /// Who takes it.
    public var toResponderId: ResponderID
    /// The shift that goes the other way, for a trade.
    public var counterpartShiftId: ShiftID?
    /// Free text, when given.
    public var reason: String?

    /// The command.
    public init(
        shiftId: ShiftID, toResponderId: ResponderID, counterpartShiftId: ShiftID? = nil, reason: String? = nil,
        envelope: CommandEnvelope
    ) {
        self.shiftId = shiftId
        self.toResponderId = toResponderId
        self.counterpartShiftId = counterpartShiftId
        self.reason = reason
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            shiftId: try f.id("shiftId", ShiftID.self), toResponderId: try f.id("toResponderId", ResponderID.self),
            counterpartShiftId: try f.optionalId("counterpartShiftId", ShiftID.self),
            reason: try f.optionalReason("reason"), envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let roster = try context.roster()
        context.expectRoster(roster)
        guard let shift = roster.shifts[shiftId] else {
            throw CommandRejection(.unknownRecord, "no shift \(shiftId)", field: "/shiftId")
        }
        _ = try RosterCommands.activeResponder(toResponderId, field: "/toResponderId", context)
        var decision = Decision()
        decision.append(
            ShiftSwapped(
                shiftId: shiftId, fromResponderId: shift.responderId, toResponderId: toResponderId,
                counterpartShiftId: counterpartShiftId, reason: reason))
        if let counterpartShiftId {
            guard let other = roster.shifts[counterpartShiftId], other.responderId == toResponderId else {
                throw CommandRejection(
                    .notApplicable, "counterpart shift \(counterpartShiftId) is not a shift of \(toResponderId)",
                    field: "/counterpartShiftId")
            }
            decision.append(
                ShiftSwapped(
                    shiftId: counterpartShiftId, fromResponderId: toResponderId, toResponderId: shift.responderId,
                    counterpartShiftId: shiftId, reason: reason))
        }
        return decision
    }
}

/// A responder is unavailable for a while: `TimeOffRecorded` (the policy excludes them, shift or not).
public struct RecordTimeOff: Command, JSONCommand {
    public static let name = "record-time-off"
    public var envelope: CommandEnvelope
    /// The time off as the event records it.
    public var timeOff: TimeOffRecorded

    /// The command.
    public init(timeOff: TimeOffRecorded, envelope: CommandEnvelope) {
        self.timeOff = timeOff
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            timeOff: TimeOffRecorded(
                timeOffId: try f.id("timeOffId", TimeOffID.self),
                responderId: try f.id("responderId", ResponderID.self),
                startsAt: try f.timestamp("startsAt"), endsAt: try f.timestamp("endsAt"),
                kind: try f.value("kind", TimeOffRecorded.Kind.self)),
            envelope: f.envelope)
    }

    func decide(_ context: CommandContext) throws -> Decision {
        let roster = try context.roster()
        context.expectRoster(roster)
        guard !roster.timeOff.contains(where: { $0.timeOffId == timeOff.timeOffId }) else {
            throw CommandRejection(
                .alreadyExists, "time off \(timeOff.timeOffId) is recorded already", field: "/timeOffId")
        }
        _ = try context.responder(timeOff.responderId, field: "/responderId")
        var decision = Decision()
        decision.append(timeOff)
        return decision
    }
}
