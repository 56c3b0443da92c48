import EventStore
import Foundation
import LMDB

/// The access store of a read-only daemon (`vigil serve --read-only --access-data DIR`): a store of
/// its own for the daemon's access records, which must not be the replica nor inside it (the
/// follower's copy holds the leader's log only, and a backup of it must not carry another chain).
enum ReplicaAccessStore {
    /// Opens (creating when missing) the access store in `directory`, refused when it is `replica`
    /// or inside it.
    static func open(_ directory: String, replica: String) throws -> EventStore {
        // Judged by the nearest directory that exists, before anything is created.
        var existing = URL(fileURLWithPath: directory).standardizedFileURL
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            existing = existing.deletingLastPathComponent()
        }
        if KeyFile.canonical(existing.path) == KeyFile.canonical(replica)
            || KeyFile.isInside(existing.path, directory: replica)
        {
            throw CLIError(
                "--access-data: \(directory) is the replica \(replica) or inside it: give a directory outside it (the replica holds the leader's log only)"
            )
        }
        do {
            return try EventStore.open(directory: directory)
        } catch {
            throw CLIError("--access-data: cannot open the access store in \(directory): \(error)")
        }
    }
}
