import Foundation
import LMDB

/// A backup in the making: a directory marked incomplete until ``complete()`` removes the mark, so a
/// copy cut short (a killed process, a full disk) is never taken for a good one — opening it is
/// refused — and running the backup again into the same directory starts it over.
///
/// ```swift
/// let backup = try BackupDirectory.begin(at: "/backups/2026-03-14")
/// try store.copy(into: backup)                 // and the vault's copy, when there is one
/// let copy = try backup.openStore()           // check it
/// guard try copy.verify().isValid else { … }
/// try backup.complete()
/// ```
public struct BackupDirectory: Sendable {
    /// The marker's file name; while it is in a directory, that directory is an incomplete backup.
    public static let incompleteMarker = "vigil.backup-incomplete"

    /// The directory.
    public let path: String

    /// Files a backup writes, which an incomplete one may have left.
    static let backupFiles: Set<String> = ["data.mdb", "lock.mdb", incompleteMarker]

    /// Makes `path` ready for a backup and marks it incomplete: creates it (and any missing parent,
    /// as private directories: ``LMDB/PrivateFile``) when missing; accepts it empty; accepts an
    /// earlier incomplete backup (marked), whose files are removed. Any other content is refused: a
    /// backup never overwrites.
    ///
    /// `extraFiles` are further names an incomplete backup may hold (the vault's directory).
    public static func begin(at path: String, extraFiles: Set<String> = []) throws -> BackupDirectory {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EventStoreError(.invalidEvent, "\(path) is a file; a backup goes into a directory")
            }
            let contents = try fm.contentsOfDirectory(atPath: path)
            if contents.contains(incompleteMarker) {
                let unknown = Set(contents).subtracting(backupFiles.union(extraFiles))
                guard unknown.isEmpty else {
                    throw EventStoreError(
                        .invalidEvent,
                        "\(path) holds an incomplete backup and also \(unknown.sorted().joined(separator: ", ")): "
                            + "clear it by hand, or back up into another directory")
                }
                for name in contents where name != incompleteMarker {
                    try fm.removeItem(atPath: path + "/" + name)
                }
            } else if !contents.isEmpty {
                throw EventStoreError(
                    .invalidEvent, "\(path) is not empty; a backup goes into an empty or missing directory")
            }
        } else {
            try PrivateFile.makeDirectory(path)
        }
        try FileMarker.create(
            path + "/" + incompleteMarker,
            text: "This backup is incomplete: it was started and has not finished (or the process was stopped). "
                + "Do not restore it. Run vigil backup into this directory again, or delete it.\n")
        return BackupDirectory(path: path)
    }

    /// Opens the copied store read-only, for checking, while it is still marked incomplete.
    public func openStore(options: EventStore.Options = EventStore.Options()) throws -> EventStore {
        var options = options
        options.environment.readOnly = true
        options.openIncompleteBackup = true
        return try EventStore.open(directory: path, options: options)
    }

    /// Removes the mark: the backup is complete.
    public func complete() throws {
        try FileMarker.remove(path + "/" + Self.incompleteMarker)
    }
}

extension EventStore {
    /// Copies the store's LMDB environment into `backup` — one consistent snapshot, taken while
    /// readers and the writer go on (LMDB's hot copy) — compacted unless `compact` is false:
    /// compaction leaves free pages out, and with them any bytes LMDB freed but had not reused.
    /// The file gets mode 0640 and is synced before this returns.
    public func copy(into backup: BackupDirectory, compact: Bool = true) throws {
        do {
            try environment.copy(to: backup.path, compact: compact)
        } catch {
            throw EventStoreError.storage(error)
        }
    }

    /// Refuses a directory marked as an incomplete backup.
    static func refuseIncompleteBackup(_ directory: String) throws {
        guard FileMarker.exists(directory + "/" + BackupDirectory.incompleteMarker) else { return }
        throw EventStoreError(
            .corrupted,
            "\(directory) is a backup that did not complete (\(BackupDirectory.incompleteMarker) is there): "
                + "it may lack events. Run vigil backup into it again, or delete it and restore another backup")
    }
}
