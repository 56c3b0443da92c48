public import EventStore
import FirstResponder

/// The service-level clocks of DOMAIN.md's table, measured from a ``CaseRecord``: the one place
/// that says when each clock starts and stops, what it is measured against, and how it ends.
///
/// | Clock | Starts | Stops | Threshold |
/// |---|---|---|---|
/// | `ADVOCATE-ON-SCENE` | each advocate request | the first arrival on it | the request's deadline |
/// | `AGENCY-ON-SCENE` | each DCFS, Probation, DMH or DHS request | the first arrival on it | the request's deadline |
/// | `ACKNOWLEDGE` | each responder's first notification on a request | their acknowledgement | the ack due time (policy) |
/// | `HEALTH-72` | contact | medical evaluation completed or declined | policy (72 h) |
/// | `PROTOCOL-72` | contact | the last of: services offered, health evaluation, placement | policy (72 h) |
/// | `HOTLINE-IMMEDIATE` | an Immediate hotline referral | the first DCFS arrival (face to face) | policy (24 h) |
///
/// On-scene clocks belong to the request, not to a responder: re-assignment after a decline or a
/// time-out never restarts them. They are also reported from the contact time (``Clock/fromContactSeconds``).
///
/// A clock ends **met** (stopped within its threshold), **breached** (stopped after it, or still
/// running past its deadline, or its acknowledgement timed out), **open** (running, deadline ahead)
/// or **not applicable** with a reason (the request was cancelled, the responder declined, the case
/// was deemed out of scope, or closed before the deadline) — never silently dropped. A clock is
/// **entered late** when the event that started or stopped it was recorded late by the domain's
/// ``LateEntryRule`` (more than 24 hours after it happened).
public enum ServiceLevelClocks {
    /// How a clock ended (or stands).
    public enum Status: String, Codable, Sendable, Hashable, CaseIterable {
        /// Stopped within its threshold.
        case met
        /// Stopped after its threshold, or running past its deadline.
        case breached
        /// Running; its deadline is ahead.
        case open
        /// Does not apply (with a reason).
        case notApplicable = "not-applicable"
    }

    /// Every clock of `record`, evaluated at `now` (for clocks still running).
    public static func clocks(of record: CaseRecord, now: Timestamp) -> [Clock] {
        var out: [Clock] = []
        let now = now.microseconds
        for request in record.requests {
            out.append(onScene(record, request, now: now))
            for assignment in request.assignments where assignment.notifiedAt != nil {
                out.append(acknowledge(record, request, assignment, now: now))
            }
        }
        out.append(health(record, now: now))
        out.append(protocolWindow(record, now: now))
        if let referral = record.referral, referral.category == "immediate" {
            out.append(hotline(record, referral, now: now))
        }
        return out
    }

    // MARK: - Each clock

    private static func onScene(_ record: CaseRecord, _ request: CaseRecord.Request, now: Int64) -> Clock {
        var clock = Clock(
            record, request.role == "advocate" ? .advocateOnScene : .agencyOnScene,
            start: request.requestedAt, startRecorded: request.requestedRecordedAt,
            threshold: Int((request.deadlineAt - request.requestedAt) / 1_000_000))
        clock.requestId = request.requestId
        clock.role = request.role
        clock.responderId = request.arrivedBy ?? request.assignments.last?.responderId
        clock.breachRecorded = request.breachRecorded
        if let arrived = request.arrivedAt {
            clock.stop(at: arrived, recorded: request.arrivedRecordedAt)
            clock.fromContactSeconds = Int(max(0, arrived - record.contactAt) / 1_000_000)
        } else if let cancelled = request.cancelled {
            clock.notApplicable(at: cancelled.at, "cancelled:\(cancelled.code)")
        }
        return clock.settled(record, now: now)
    }

    private static func acknowledge(
        _ record: CaseRecord, _ request: CaseRecord.Request, _ assignment: CaseRecord.Assignment, now: Int64
    ) -> Clock {
        let start = assignment.notifiedAt ?? assignment.assignedAt
        var clock = Clock(
            record, .acknowledge, start: start, startRecorded: assignment.notifiedRecordedAt ?? start,
            threshold: assignment.ackThresholdSeconds ?? record.thresholds.acknowledge)
        clock.requestId = request.requestId
        clock.role = request.role
        clock.responderId = assignment.responderId
        if let acknowledged = assignment.acknowledgedAt {
            clock.stop(at: acknowledged, recorded: assignment.acknowledgedRecordedAt)
        } else if let timedOut = assignment.timedOutAt {
            clock.breach(at: timedOut)
        } else if let declined = assignment.declinedAt {
            clock.notApplicable(at: declined, "declined")
        } else if let cancelled = request.cancelled {
            clock.notApplicable(at: cancelled.at, "cancelled:\(cancelled.code)")
        } else if let escalated = assignment.escalatedAt {
            clock.notApplicable(at: escalated, "escalated")
        } else if let arrived = request.arrivedAt {
            // Arrived without a recorded acknowledgement: the arrival acknowledges.
            clock.stop(at: arrived, recorded: request.arrivedRecordedAt)
        }
        return clock.settled(record, now: now)
    }

    private static func health(_ record: CaseRecord, now: Int64) -> Clock {
        var clock = Clock(
            record, .health72, start: record.contactAt, startRecorded: record.reportedRecordedAt,
            threshold: record.thresholds.health72)
        if let at = record.milestones.healthEvaluationAt {
            clock.stop(at: at, recorded: record.milestones.healthEvaluationRecordedAt)
        }
        return clock.settled(record, now: now)
    }

    private static func protocolWindow(_ record: CaseRecord, now: Int64) -> Clock {
        var clock = Clock(
            record, .protocol72, start: record.contactAt, startRecorded: record.reportedRecordedAt,
            threshold: record.thresholds.protocol72)
        let m = record.milestones
        if let offered = m.servicesOffered, let health = m.healthEvaluationAt, let placed = m.placementAt {
            clock.stop(at: max(offered, health, placed), recorded: nil)
        }
        if let window = m.window {
            clock.stopRecordedAt = window.recordedAt
            let allMet = window.servicesOffered && window.healthEvaluation != "not-done" && window.placementDecided
            if !allMet && clock.status != .breached { clock.breach(at: window.closedAt) }
        }
        return clock.settled(record, now: now)
    }

    private static func hotline(_ record: CaseRecord, _ referral: CaseRecord.Referral, now: Int64) -> Clock {
        var clock = Clock(
            record, .hotlineImmediate, start: referral.at, startRecorded: referral.recordedAt,
            threshold: referral.thresholdSeconds)
        let dcfs = record.requests.filter { $0.role == "dcfs" && $0.arrivedAt != nil }
        if let first = dcfs.min(by: { $0.arrivedAt! < $1.arrivedAt! }), let arrived = first.arrivedAt {
            clock.requestId = first.requestId
            clock.responderId = first.arrivedBy
            clock.stop(at: max(arrived, referral.at), recorded: first.arrivedRecordedAt)
        }
        return clock.settled(record, now: now)
    }
}
