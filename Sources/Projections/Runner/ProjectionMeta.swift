/// What the store records about a stored projection, beside its rows (database `vigil.views`, key:
/// the projection's name).
struct ProjectionMeta: Codable, Sendable, Equatable {
    /// The ``Projection/version`` the rows were folded with.
    var version: Int
    /// Which of the projection's two databases readers read (0 or 1); a rebuild fills the other
    /// and flips this.
    var generation: Int
    /// The last position folded into the rows.
    var checkpoint: UInt64
    /// Events up to the checkpoint of a type the view folds (or not in the catalog) that could not be
    /// decoded and were skipped.
    var skipped: UInt64
}
