public import EventStore

/// When an entry counts as late: recorded more than 24 hours after it happened in the field. Late
/// entries are normal (an arrest entered the next week) and are counted in the data notes, so a
/// reader can see how much the figures moved after the period.
public enum LateEntryRule {
    /// The grace, in seconds.
    public static let graceSeconds: Int64 = 24 * 3600

    /// Whether an entry that happened at `occurredAt` and was recorded at `recordedAt` is late.
    public static func isLate(occurredAt: Timestamp, recordedAt: Timestamp) -> Bool {
        recordedAt.microseconds - occurredAt.microseconds > graceSeconds * 1_000_000
    }
}
