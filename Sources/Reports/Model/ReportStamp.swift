/// What a report was computed from, so anyone can recompute it: the log position and the chain
/// hash at that position, Vigil's version, and the command that recomputes it.
public struct ReportStamp: Sendable, Hashable {
    /// The last log position the figures read.
    public var position: UInt64
    /// The chain hash at that position, hex.
    public var chainHash: String
    /// The Vigil version that computed it.
    public var vigilVersion: String
    /// When the last event read was recorded (RFC 3339), if any.
    public var lastRecordedAt: String?
    /// The `vigil` command line that recomputes the report.
    public var command: String

    /// A stamp.
    public init(position: UInt64, chainHash: String, vigilVersion: String, lastRecordedAt: String?, command: String) {
        self.position = position
        self.chainHash = chainHash
        self.vigilVersion = vigilVersion
        self.lastRecordedAt = lastRecordedAt
        self.command = command
    }
}
