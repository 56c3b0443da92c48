public import EventStore

/// The roster and status board: every active responder with their status and since when, whether
/// they are on shift (on duty or on call) or off, and what they are committed to.
public struct RosterBoard: Codable, Sendable, Equatable {
    /// The moment evaluated at.
    public var now: String
    /// The last log position in the views.
    public var position: UInt64
    /// Responders, by role then id.
    public var responders: [Entry]
    /// How many are on shift (on duty or on call), available, committed to a case, off.
    public var counts: Counts

    /// One responder.
    public struct Entry: Codable, Sendable, Equatable {
        /// Their id.
        public var responderId: String
        /// Their role.
        public var role: String
        /// Their organization.
        public var organization: String
        /// Their board status: available, assigned, en-route, on-scene, cleared or off-duty.
        public var status: String
        /// Since when.
        public var since: String
        /// on-duty, on-call, time-off or off-shift.
        public var shift: String
        /// When their shift ends, while on one.
        public var shiftEndsAt: String?
        /// The case they are committed to.
        public var activeCase: String?
        /// Areas covered (the shift's when it names them).
        public var areas: [String]
        /// Languages spoken.
        public var languages: [String]
    }

    /// The board's counts.
    public struct Counts: Codable, Sendable, Equatable {
        /// On duty or on call now.
        public var onShift: Int
        /// On shift and available.
        public var available: Int
        /// Assigned, en route or on scene.
        public var committed: Int
        /// Off shift or on time off.
        public var off: Int
    }
}

/// Builds the ``RosterBoard`` from the `roster` view.
public struct RosterQuery: Sendable {
    /// The moment to evaluate at; the views' last recorded time when `nil`.
    public var now: Timestamp?
    /// Only this role.
    public var role: String?
    /// Only responders on shift now.
    public var onShiftOnly = false

    /// A query.
    public init(now: Timestamp? = nil, role: String? = nil, onShiftOnly: Bool = false) {
        self.now = now
        self.role = role
        self.onShiftOnly = onShiftOnly
    }

    /// The board.
    public func run(_ reader: any ViewReader) throws -> RosterBoard {
        let now = self.now ?? reader.recordedAt ?? Timestamp(microseconds: 0)
        let shifts = try Self.shifts(at: now, reader)
        let away = try Self.timeOff(at: now, reader)
        var entries: [RosterBoard.Entry] = []
        for r in try reader.rows(RosterProjection.responders) where !r.deactivated {
            if let role, r.role != role { continue }
            let shift = shifts[r.responderId]
            let state =
                away.contains(r.responderId)
                ? "time-off" : shift.map { $0.onCall ? "on-call" : "on-duty" } ?? "off-shift"
            if onShiftOnly && shift == nil { continue }
            entries.append(
                RosterBoard.Entry(
                    responderId: r.responderId, role: r.role, organization: r.organization, status: r.status,
                    since: Timestamp(microseconds: r.statusSince).rfc3339, shift: state,
                    shiftEndsAt: shift.map { Timestamp(microseconds: $0.endsAt).rfc3339 }, activeCase: r.activeCase,
                    areas: shift?.areas ?? r.areas, languages: r.languages))
        }
        entries.sort { ($0.role, $0.responderId) < ($1.role, $1.responderId) }
        let onShift = entries.filter { $0.shift == "on-duty" || $0.shift == "on-call" }
        let committed = entries.filter { ["assigned", "en-route", "on-scene"].contains($0.status) }
        return RosterBoard(
            now: now.rfc3339, position: reader.position, responders: entries,
            counts: RosterBoard.Counts(
                onShift: onShift.count, available: onShift.filter { $0.status == "available" }.count,
                committed: committed.count, off: entries.count - onShift.count))
    }

    /// The shift each responder is on at `now` (the latest-starting one when several overlap).
    static func shifts(at now: Timestamp, _ reader: any ViewReader) throws -> [String: ShiftRow] {
        let longest = try reader.row(RosterProjection.extents, "longest")?.longestShift ?? 0
        var out: [String: ShiftRow] = [:]
        try scanCovering(RosterProjection.shifts, now, longest, reader) { (shift: ShiftRow) in
            guard shift.startsAt <= now.microseconds else { return }
            if let other = out[shift.responderId], other.startsAt > shift.startsAt { return }
            out[shift.responderId] = shift
        }
        return out
    }

    /// Responders on time off at `now`.
    static func timeOff(at now: Timestamp, _ reader: any ViewReader) throws -> Set<String> {
        let longest = try reader.row(RosterProjection.extents, "longest")?.longestTimeOff ?? 0
        var out: Set<String> = []
        try scanCovering(RosterProjection.timeOff, now, longest, reader) { (row: TimeOffRow) in
            if row.startsAt <= now.microseconds { out.insert(row.responderId) }
        }
        return out
    }

    /// Visits the rows of an end-keyed table that end after `now` and may have started by then: none
    /// lasts longer than `longest`, so none ending later than `now + longest` can cover `now`.
    private static func scanCovering<Row>(
        _ table: TableRef<Row>, _ now: Timestamp, _ longest: Int64, _ reader: any ViewReader, _ visit: (Row) -> Void
    ) throws {
        let start = RosterProjection.intervalKey(now.microseconds + 1, "")
        let stop = RosterProjection.intervalKey(now.microseconds + longest + 1, "")
        try reader.scan(table, from: start) { key, row in
            guard key < stop else { return false }
            visit(row)
            return true
        }
    }
}
