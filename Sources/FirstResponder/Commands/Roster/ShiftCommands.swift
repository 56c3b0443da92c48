import EventStore

extension ScheduleShift {
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

extension SwapShift {
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

extension RecordTimeOff {
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
