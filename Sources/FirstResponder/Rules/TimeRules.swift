import EventStore

/// The rules of time every fact follows: it happened no later than the log received it (give or take
/// the clock skew a field device may have), and in order — a stop never precedes its start.
/// Refusals name both times.
enum TimeRules {
    /// `occurredAt` no later than `receivedAt` plus `skewSeconds`.
    static func received(_ occurredAt: Timestamp, by receivedAt: Timestamp, skewSeconds: Int64, pointer: String)
        throws
    {
        let limit = receivedAt.adding(seconds: skewSeconds)
        guard occurredAt <= limit else {
            throw RuleViolation(
                .inTheFuture, at: pointer,
                "\(pointer.split(separator: "/").last ?? "time") \(occurredAt) is after \(receivedAt), when the log "
                    + "received it, by more than the allowed clock skew of \(skewSeconds) s")
        }
    }

    /// `time` at or after `start` (what started at `start` is `what`); the error is at `pointer`.
    static func notBefore(
        _ time: Timestamp, _ start: Timestamp, _ rule: RuleViolation.Rule, _ what: String,
        pointer: String = "/occurredAt"
    ) throws {
        guard time >= start else {
            let field = pointer.split(separator: "/").last.map(String.init) ?? "occurredAt"
            throw RuleViolation(rule, at: pointer, "\(field) \(time) precedes \(what) at \(start)")
        }
    }

    /// The field time `time` (named `field`) at or before the event's `occurredAt`.
    static func atOrBefore(
        _ time: Timestamp, _ occurredAt: Timestamp, _ rule: RuleViolation.Rule, _ field: String, pointer: String
    ) throws {
        guard time <= occurredAt else {
            throw RuleViolation(rule, at: pointer, "\(field) \(time) is after the event's occurredAt \(occurredAt)")
        }
    }
}
