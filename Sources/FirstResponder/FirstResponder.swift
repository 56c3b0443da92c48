/// The First Responder Protocol domain: the event catalog, commands and their validation, the case
/// lifecycle, the dispatch policy and the personal-data vault. It reads no wall clock and draws no
/// random numbers: time and ids come in from the edge, so every replay is deterministic.
public enum FirstResponder {
    /// The domain module's version of the event catalog contract (schemas/).
    public static let catalogVersion = 1
}
