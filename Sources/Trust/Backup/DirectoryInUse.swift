import LMDB

/// Refuses to move a data directory that a process has open.
enum DirectoryInUse {
    /// Takes the exclusive lock on `directory` (nobody has its store open while it is held).
    static func lock(_ directory: String) throws(TrustError) -> ExclusiveDirectoryLock {
        do {
            return try ExclusiveDirectoryLock(directory: directory)
        } catch {
            throw TrustError(
                .restore,
                "--data: \(directory) cannot be replaced while it is in use: \(error.description). Stop the daemon and every vigil command using it, then restore again",
                cause: error)
        }
    }
}
