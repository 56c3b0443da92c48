public import EventStore

extension RosterView {
    /// Forgets every shift that ended at or before `instant`, so a board folded over a long log (the
    /// decision audit's) holds only the shifts a decision at a later instant can read; returns the
    /// forgotten shifts' spans (start, end), for the caller to know which instants the board can no
    /// longer answer for.
    ///
    /// A decision at an instant no forgotten shift covered reads exactly the board it would have
    /// read with them: ``snapshot(at:youth:)`` only takes the shifts covering its instant, and the
    /// scheduling order of the shifts kept is unchanged. Under the roster's rules a shift id is
    /// scheduled once (a second `ShiftScheduled` of it is refused), so a forgotten shift is never
    /// moved or swapped back into view. The board the commands keep (``RosterViewCache``) never
    /// forgets: ``snapshot()`` lists every shift.
    public mutating func forgetShifts(endedAtOrBefore instant: Timestamp) -> [(start: Timestamp, end: Timestamp)] {
        let ended = shifts.values.filter { $0.endsAt <= instant }
        guard !ended.isEmpty else { return [] }
        for shift in ended {
            shiftIndex.remove(shift.shiftId, start: shift.startsAt)
            shifts[shift.shiftId] = nil
        }
        shiftOrder.removeAll { shifts[$0] == nil }
        return ended.map { ($0.startsAt, $0.endsAt) }
    }
}
