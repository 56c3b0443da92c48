import EventStore

/// The log's signed checkpoints as the rules read them: the fold of the `checkpoints` stream.
///
/// The rules cannot check a signature (the key is not theirs to hold: `vigil verify --key PUB`
/// does that); they check what a checkpoint says about this log — that it signs an earlier
/// position, later than the checkpoint before it, whose chain hash in this log is the one signed.
/// A checkpoint brought by `vigil import` from an export of the same log is admitted; one copied
/// from another log is refused.
public struct CheckpointLog: Aggregate {
    /// The stream every checkpoint goes to.
    public static let stream = "checkpoints"

    /// The stream's version.
    public internal(set) var version: UInt64 = 0
    /// The position the last checkpoint signed (0: none yet).
    public internal(set) var signedThrough: UInt64 = 0

    init?(stream: String) {
        guard stream == Self.stream else { return nil }
    }

    mutating func fold(_ event: CatalogEvent, _ facts: EventFacts) {
        version = facts.version
        if case .checkpointSigned(let e) = event { signedThrough = max(signedThrough, UInt64(e.position)) }
    }

    /// Checks a checkpoint, then folds it.
    mutating func admit(_ event: CatalogEvent, _ facts: EventFacts, _ log: LogState) throws {
        if case .checkpointSigned(let e) = event {
            let signs = UInt64(e.position)
            guard signs < facts.position else {
                throw RuleViolation(
                    .checkpointMismatch, at: "/data/position",
                    "a checkpoint at position \(facts.position) cannot sign position \(signs), which is not before it")
            }
            guard signs > signedThrough else {
                throw RuleViolation(
                    .checkpointMismatch, at: "/data/position",
                    "position \(signs) is not after \(signedThrough), which the last checkpoint signed")
            }
            // A plain line admitted earlier in the same batch is chained only when appended: its
            // hash is not known here ('vigil verify --key' checks every checkpoint in the end).
            if let actual = try log.chainHash(at: signs) {
                let hex = Hex.encode(actual)
                guard hex == e.chainHash else {
                    throw RuleViolation(
                        .checkpointMismatch, at: "/data/chainHash",
                        "this log's record at position \(signs) has chain hash \(hex), not \(e.chainHash): the checkpoint signs another log"
                    )
                }
            }
        }
        fold(event, facts)
    }
}
