/// Where one stored projection stands against the log.
public struct ProjectionStatus: Sendable, Codable, Equatable {
    /// The projection's name.
    public var name: String
    /// What it keeps.
    public var summary: String
    /// The version of the projection in this build.
    public var version: Int
    /// The version its stored rows were folded with (`nil`: never stored).
    public var storedVersion: Int?
    /// The last position folded into the stored rows.
    public var checkpoint: UInt64
    /// The log's head.
    public var head: UInt64
    /// Events skipped: of a type the view folds that did not decode, or of a type not in the catalog.
    public var skipped: UInt64
    /// Stored rows (`nil`: never stored).
    public var rows: Int?

    /// Events the stored view is behind the log.
    public var lag: UInt64 { head - min(head, checkpoint) }

    /// `current`, `behind`, `not built` or `outdated` (stored by another version: the next catch-up
    /// rebuilds it).
    public var state: String {
        guard let storedVersion else { return "not built" }
        if storedVersion != version { return "outdated" }
        return lag == 0 ? "current" : "behind"
    }
}

/// What a rebuild did to one projection.
public struct RebuildResult: Sendable, Codable, Equatable {
    /// The projection's name.
    public var name: String
    /// The position it was rebuilt through.
    public var checkpoint: UInt64
    /// Rows written.
    public var rows: Int
    /// The digest of the rebuilt view.
    public var digest: ViewDigest
    /// The digest of the live view it replaced, at the same position (`nil`: there was none of this
    /// version to compare with).
    public var liveDigest: ViewDigest?
    /// Events skipped: of a type the view folds that did not decode, or of a type not in the catalog.
    public var skipped: UInt64
    /// How long the whole rebuild took, in seconds.
    public var seconds: Double

    /// Whether the rebuilt view equals the live one it replaced (`nil`: nothing to compare with).
    public var matchesLive: Bool? { liveDigest.map { $0 == digest } }
}
