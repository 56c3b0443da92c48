public import Trust

/// The daemon's signed checkpoints (`vigil serve --checkpoint-key FILE --checkpoint-every SECONDS`):
/// the county's key and how often the log's head is signed with it.
public struct CheckpointSchedule: Sendable {
    /// The county's private checkpoint key, loaded (and checked) before the daemon starts.
    public var key: CheckpointSigningKey
    /// How long at most between two checkpoints while events are appended.
    public var interval: Duration

    /// A schedule signing with `key` every `interval`.
    public init(key: CheckpointSigningKey, interval: Duration) {
        self.key = key
        self.interval = interval
    }
}
