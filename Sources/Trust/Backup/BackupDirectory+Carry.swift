public import EventStore
import Foundation

extension BackupDirectory {
    /// Copies the plain file `name` of the data directory `dataDirectory` (the API's token file)
    /// into the backup, keeping it as private as it is (0600 stays 0600); the manifest then lists
    /// it with its size and SHA-256, and `vigil restore` brings it back. Returns `false` when the
    /// data directory has no such file.
    public func carry(_ name: String, from dataDirectory: String) throws(TrustError) -> Bool {
        let source = dataDirectory + "/" + name
        guard FileManager.default.fileExists(atPath: source) else { return false }
        _ = try BackupFiles.copy(source, to: path + "/" + name)
        return true
    }
}
