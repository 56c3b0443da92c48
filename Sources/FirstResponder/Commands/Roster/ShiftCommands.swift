import EventStore

extension ScheduleShift {
    /// Records the shift: the rules (``RosterLog``) refuse a shift id scheduled before and a responder
    /// not registered or deactivated.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(shift)
        return decision
    }
}

extension SwapShift {
    func decide(_ context: CommandContext) throws -> Decision {
        let roster = try context.roster()
        context.expectRoster(roster)
        guard let shift = roster.shifts[shiftId] else {
            throw CommandRejection(.unknownRecord, "no shift \(shiftId)", field: "/shiftId")
        }
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

extension RecordTimeOff {
    /// Records the time off: the rules (``RosterLog``) refuse an id recorded before and a responder
    /// never registered.
    func decide(_ context: CommandContext) throws -> Decision {
        var decision = Decision()
        decision.append(timeOff)
        return decision
    }
}
