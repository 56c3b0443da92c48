public import EventStore
import FirstResponder

/// The live case board: every open case with its phase, youth reference, station and area, the
/// roles requested, each request's responder and where they are, every running clock with its
/// deadline and time left, and which clocks are **at risk** — their responder cannot arrive in time
/// by the policy's travel estimate (or by their own ETA).
public struct CaseBoard: Codable, Sendable, Equatable {
    /// The moment the board is evaluated at (RFC 3339).
    public var now: String
    /// The last log position in the views.
    public var position: UInt64
    /// Events the views are behind the log.
    public var lag: UInt64
    /// Open cases, most urgent first (earliest deadline among their running clocks).
    public var cases: [Entry]
    /// Open cases by phase.
    public var byPhase: Tally
    /// How many cases have a clock at risk.
    public var atRisk: Int

    /// One open case.
    public struct Entry: Codable, Sendable, Equatable {
        /// The case.
        public var caseId: String
        /// Its phase.
        public var phase: String
        /// The youth's pseudonymous reference (never a name).
        public var youthRef: String
        /// The agency of the contact.
        public var agency: String
        /// The station.
        public var station: String
        /// The Service Planning Area.
        public var area: String
        /// When the contact was.
        public var contactAt: String
        /// The roles requested, in request order.
        public var requestedRoles: [String]
        /// Every request still open or with a responder on scene.
        public var requests: [Request]
        /// Every clock still running (open, or past its deadline without stopping).
        public var clocks: [RunningClock]
        /// Whether any clock is at risk.
        public var atRisk: Bool
    }

    /// A request on the board.
    public struct Request: Codable, Sendable, Equatable {
        /// The request.
        public var requestId: String
        /// The role needed.
        public var role: String
        /// awaiting, dispatched or on-scene.
        public var phase: String
        /// The responder on it, if any.
        public var responderId: String?
        /// Where the responder is with it: notified, acknowledged, en-route, on-scene (nil: none).
        public var responderStatus: String?
        /// The responder's status on the roster board.
        public var rosterStatus: String?
        /// Times it escalated.
        public var escalationLevel: Int
        /// When a responder must be on scene.
        public var deadlineAt: String
        /// When the responder is expected (their ETA, or the policy's travel estimate).
        public var expectedAt: String?
        /// Whether they cannot make the deadline.
        public var atRisk: Bool
    }

    /// A running clock.
    public struct RunningClock: Codable, Sendable, Equatable {
        /// The service level.
        public var serviceLevel: String
        /// The request, for per-request clocks.
        public var requestId: String?
        /// When it started.
        public var startedAt: String
        /// When it is due.
        public var deadlineAt: String
        /// Seconds left (negative once breached).
        public var secondsLeft: Int
        /// open or breached.
        public var status: String
        /// Whether its responder cannot make it in time.
        public var atRisk: Bool
    }
}

/// Builds the ``CaseBoard`` from the `cases` and `roster` views.
public struct CaseBoardQuery: Sendable {
    /// The moment to evaluate at; the views' last recorded time when `nil`.
    public var now: Timestamp?
    /// Only cases of this station.
    public var station: String?
    /// Only cases of this area.
    public var area: String?
    /// Only cases of this agency.
    public var agency: String?
    /// Only cases with a clock at risk.
    public var atRiskOnly = false

    /// A query.
    public init(
        now: Timestamp? = nil, station: String? = nil, area: String? = nil, agency: String? = nil,
        atRiskOnly: Bool = false
    ) {
        self.now = now
        self.station = station
        self.area = area
        self.agency = agency
        self.atRiskOnly = atRiskOnly
    }

    /// The board.
    public func run(_ reader: any ViewReader) throws -> CaseBoard {
        let now = self.now ?? reader.recordedAt ?? Timestamp(microseconds: 0)
        let travel = try reader.row(CasesProjection.policyTable, PolicyRow.key)?.travel ?? TravelEstimate()
        let shifts = try RosterQuery.shifts(at: now, reader)
        var entries: [(entry: CaseBoard.Entry, urgency: Int64)] = []
        var ids: [String] = []
        try reader.scan(CasesProjection.openCases, from: "") { caseId, _ in
            ids.append(caseId)
            return true
        }
        for caseId in ids {
            guard let record = try reader.row(CasesProjection.cases, caseId), record.isOpen else { continue }
            if let station, record.station != station { continue }
            if let area, record.area != area { continue }
            if let agency, record.agency != agency { continue }
            var requests: [CaseBoard.Request] = []
            for request in record.requests where request.isOpen || request.phase == "on-scene" {
                requests.append(
                    try board(request, record, now: now, travel: travel, shifts: shifts, reader))
            }
            let atRiskRequests = Set(requests.filter(\.atRisk).map(\.requestId))
            let clocks = ServiceLevelClocks.clocks(of: record, now: now).filter(\.isRunning).map { clock in
                CaseBoard.RunningClock(
                    serviceLevel: clock.serviceLevel, requestId: clock.requestId, startedAt: clock.startedAt,
                    deadlineAt: clock.deadlineAt, secondsLeft: clock.secondsLeft(at: now),
                    status: clock.status.rawValue,
                    atRisk: clock.status == .open && clock.requestId.map { atRiskRequests.contains($0) } == true
                        && (clock.serviceLevel == ServiceLevel.advocateOnScene.rawValue
                            || clock.serviceLevel == ServiceLevel.agencyOnScene.rawValue)
                )
            }.sorted { $0.deadlineAt < $1.deadlineAt }
            let atRisk = clocks.contains(where: \.atRisk)
            if atRiskOnly && !atRisk { continue }
            let entry = CaseBoard.Entry(
                caseId: record.caseId, phase: record.phase.rawValue, youthRef: record.youthRef, agency: record.agency,
                station: record.station, area: record.area,
                contactAt: Timestamp(microseconds: record.contactAt).rfc3339,
                requestedRoles: record.requests.map(\.role), requests: requests, clocks: clocks, atRisk: atRisk)
            let urgency = clocks.compactMap { Timestamp(rfc3339: $0.deadlineAt)?.microseconds }.min() ?? .max
            entries.append((entry, urgency))
        }
        entries.sort { ($0.urgency, $0.entry.caseId) < ($1.urgency, $1.entry.caseId) }
        let cases = entries.map(\.entry)
        return CaseBoard(
            now: now.rfc3339, position: reader.position, lag: reader.lag, cases: cases,
            byPhase: Tally(cases.map(\.phase)), atRisk: cases.filter(\.atRisk).count)
    }

    private func board(
        _ request: CaseRecord.Request, _ record: CaseRecord, now: Timestamp, travel: TravelEstimate,
        shifts: [String: ShiftRow], _ reader: any ViewReader
    ) throws -> CaseBoard.Request {
        let deadline = request.deadlineAt
        var out = CaseBoard.Request(
            requestId: request.requestId, role: request.role, phase: request.phase, responderId: nil,
            responderStatus: nil, rosterStatus: nil, escalationLevel: request.escalationLevel,
            deadlineAt: Timestamp(microseconds: deadline).rfc3339, expectedAt: nil, atRisk: false)
        guard request.isOpen else {
            out.responderId = request.arrivedBy
            out.responderStatus = "on-scene"
            return out
        }
        let nowMicros = now.microseconds
        guard let responderId = request.currentResponder, let assignment = request.assignments.last else {
            // Nobody on it: even the nearest responder needs the base travel time from now.
            let expected = nowMicros + Int64(travel.baseMinutes) * 60_000_000
            out.expectedAt = Timestamp(microseconds: expected).rfc3339
            out.atRisk = expected > deadline && nowMicros < deadline
            return out
        }
        out.responderId = responderId
        out.responderStatus =
            assignment.enRouteAt != nil ? "en-route" : assignment.acknowledgedAt != nil ? "acknowledged" : "notified"
        let responder = try reader.row(RosterProjection.responders, responderId)
        out.rosterStatus = responder?.status
        let expected: Int64?
        if let eta = assignment.etaMinutes {
            expected = (assignment.enRouteAt ?? assignment.acknowledgedAt ?? nowMicros) + Int64(eta) * 60_000_000
        } else {
            let shift = shifts[responderId]
            let areas = shift?.areas ?? responder?.areas ?? []
            let seconds = travel.seconds(from: areas, to: record.area, onCall: shift?.onCall ?? false)
            expected = seconds.map { (assignment.enRouteAt ?? nowMicros) + Int64($0) * 1_000_000 }
        }
        if let expected {
            out.expectedAt = Timestamp(microseconds: expected).rfc3339
            // At risk: still possible to make, not on this estimate (once past, it is breached).
            out.atRisk = expected > deadline && nowMicros < deadline
        }
        return out
    }
}
