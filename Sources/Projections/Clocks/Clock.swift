public import EventStore
import FirstResponder

/// One service-level clock of one case (``ServiceLevelClocks``), as it stands at a moment.
public struct Clock: Codable, Sendable, Equatable {
    /// The service level (`ADVOCATE-ON-SCENE`, …).
    public var serviceLevel: String
    /// The case.
    public var caseId: String
    /// The request, for on-scene, acknowledgement and hotline clocks.
    public var requestId: String?
    /// The role requested.
    public var role: String?
    /// The responder measured (the one who arrived, or the last assigned; the one notified).
    public var responderId: String?
    /// The law-enforcement agency of the recovery.
    public var agency: String
    /// Its station.
    public var station: String
    /// Its Service Planning Area.
    public var area: String
    /// When the clock started (occurredAt, RFC 3339).
    public var startedAt: String
    /// When it stopped, if it did.
    public var stoppedAt: String?
    /// When it is (or was) due.
    public var deadlineAt: String
    /// Its threshold in seconds.
    public var thresholdSeconds: Int
    /// Seconds from start to stop, or to the moment of evaluation while it runs.
    public var elapsedSeconds: Int
    /// For on-scene clocks: seconds from the contact to the arrival.
    public var fromContactSeconds: Int?
    /// met, breached, open or not-applicable.
    public var status: ServiceLevelClocks.Status
    /// Why it does not apply (`cancelled:<reason>`, `declined`, `escalated`, `out-of-scope`,
    /// `case-closed`).
    public var reason: String?
    /// Whether its start or stop was recorded late (``LateEntryRule``).
    public var enteredLate: Bool
    /// Whether an `SLABreached` was recorded for it.
    public var breachRecorded: Bool

    /// Start, stop and deadline in microseconds, for computing.
    var startMicros: Int64
    var stopMicros: Int64?
    var deadlineMicros: Int64
    var stopRecordedAt: Int64?
    /// When it ended: stopped, breached without stopping (timed out, window closed), or stopped
    /// applying. `nil` while it runs.
    var endMicros: Int64?
    /// The case's contact, which places the clock in a reporting period.
    var contactMicros: Int64 = 0

    /// Whether it is still running (it may be past its deadline: breached, and running).
    public var isRunning: Bool { endMicros == nil && (status == .open || status == .breached) }

    private enum CodingKeys: String, CodingKey {
        case serviceLevel, caseId, requestId, role, responderId, agency, station, area, startedAt, stoppedAt,
            deadlineAt, thresholdSeconds, elapsedSeconds, fromContactSeconds, status, reason, enteredLate,
            breachRecorded
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serviceLevel = try c.decode(String.self, forKey: .serviceLevel)
        caseId = try c.decode(String.self, forKey: .caseId)
        requestId = try c.decodeIfPresent(String.self, forKey: .requestId)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        responderId = try c.decodeIfPresent(String.self, forKey: .responderId)
        agency = try c.decode(String.self, forKey: .agency)
        station = try c.decode(String.self, forKey: .station)
        area = try c.decode(String.self, forKey: .area)
        startedAt = try c.decode(String.self, forKey: .startedAt)
        stoppedAt = try c.decodeIfPresent(String.self, forKey: .stoppedAt)
        deadlineAt = try c.decode(String.self, forKey: .deadlineAt)
        thresholdSeconds = try c.decode(Int.self, forKey: .thresholdSeconds)
        elapsedSeconds = try c.decode(Int.self, forKey: .elapsedSeconds)
        fromContactSeconds = try c.decodeIfPresent(Int.self, forKey: .fromContactSeconds)
        status = try c.decode(ServiceLevelClocks.Status.self, forKey: .status)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        enteredLate = try c.decode(Bool.self, forKey: .enteredLate)
        breachRecorded = try c.decode(Bool.self, forKey: .breachRecorded)
        startMicros = Timestamp(rfc3339: startedAt)?.microseconds ?? 0
        stopMicros = stoppedAt.flatMap { Timestamp(rfc3339: $0)?.microseconds }
        endMicros = stopMicros ?? (status == .open ? nil : startMicros + Int64(elapsedSeconds) * 1_000_000)
        deadlineMicros = Timestamp(rfc3339: deadlineAt)?.microseconds ?? 0
    }

    init(_ record: CaseRecord, _ level: ServiceLevel, start: Int64, startRecorded: Int64, threshold: Int) {
        serviceLevel = level.rawValue
        caseId = record.caseId
        agency = record.agency
        station = record.station
        area = record.area
        startMicros = start
        deadlineMicros = start + Int64(threshold) * 1_000_000
        startedAt = Timestamp(microseconds: start).rfc3339
        deadlineAt = Timestamp(microseconds: deadlineMicros).rfc3339
        contactMicros = record.contactAt
        thresholdSeconds = threshold
        elapsedSeconds = 0
        status = .open
        enteredLate = LateEntryRule.isLate(
            occurredAt: Timestamp(microseconds: start), recordedAt: Timestamp(microseconds: startRecorded))
        breachRecorded = false
    }

    /// The clock stopped at `at` (recorded at `recorded`, when known).
    mutating func stop(at: Int64, recorded: Int64?) {
        stopMicros = at
        endMicros = at
        stopRecordedAt = recorded
        stoppedAt = Timestamp(microseconds: at).rfc3339
        elapsedSeconds = Int(max(0, at - startMicros) / 1_000_000)
        status = elapsedSeconds <= thresholdSeconds ? .met : .breached
    }

    /// The clock ended breached at `at` without stopping (an acknowledgement that timed out, a window
    /// that closed with milestones missing).
    mutating func breach(at: Int64) {
        status = .breached
        endMicros = endMicros ?? at
        if stopMicros == nil { elapsedSeconds = Int(max(0, at - startMicros) / 1_000_000) }
    }

    /// The clock does not apply, from `at`, for `reason`.
    mutating func notApplicable(at: Int64, _ reason: String) {
        status = .notApplicable
        endMicros = at
        self.reason = reason
        elapsedSeconds = Int(max(0, at - startMicros) / 1_000_000)
    }

    /// Settles a clock the events left running: past its deadline it is breached; a case deemed out
    /// of scope, or closed before the deadline, makes it not applicable; otherwise it is open, with
    /// the time elapsed at `now`.
    func settled(_ record: CaseRecord, now: Int64) -> Clock {
        var clock = self
        if let recorded = stopRecordedAt, let stop = stopMicros,
            LateEntryRule.isLate(
                occurredAt: Timestamp(microseconds: stop), recordedAt: Timestamp(microseconds: recorded))
        {
            clock.enteredLate = true
        }
        guard clock.status == .open else { return clock }
        if let outOfScope = record.outOfScope {
            clock.notApplicable(at: outOfScope.at, "out-of-scope")
        } else if let closed = record.closed, !record.isOpen, closed.at < deadlineMicros {
            clock.notApplicable(at: closed.at, "case-closed")
        } else {
            let end = record.isOpen ? now : (record.closed?.at ?? now)
            clock.elapsedSeconds = Int(max(0, end - startMicros) / 1_000_000)
            if !record.isOpen { clock.endMicros = end }
            if end >= deadlineMicros || clock.breachRecorded { clock.status = .breached }
        }
        return clock
    }

    /// Seconds left until the deadline at `now` (negative once past it).
    public func secondsLeft(at now: Timestamp) -> Int { Int((deadlineMicros - now.microseconds) / 1_000_000) }
}
