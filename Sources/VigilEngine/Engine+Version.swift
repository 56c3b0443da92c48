extension Engine {
    /// Vigil's version, stamped on every report (with the log position and chain hash it was
    /// computed from) so a reader knows which code produced the figures.
    public static let version = "0.5.0"
}
