public import EventStore
import FirstResponder
import Foundation
import LMDB
import VigilEngine

extension BackupManifest {
    /// The manifest of the backup just copied into `directory` and verified (`report`, checked on
    /// `copy`, the copied store): lists and hashes every file there.
    public static func make(
        directory: String, source: String, startedAt: Timestamp, completedAt: Timestamp, report: VerificationReport,
        copy: EventStore, compacted: Bool, deep: Bool
    ) throws(TrustError) -> BackupManifest {
        var files: [File] = []
        for path in try BackupFiles.list(directory) where path != BackupDirectory.incompleteMarker {
            let (bytes, sha256) = try BackupFiles.digest(directory + "/" + path)
            files.append(File(path: path, bytes: bytes, sha256: sha256))
        }
        var checkpoint: Checkpoint?
        if let last = try? copy.readStream(
            CheckpointLog.stream, from: .max, direction: .backward, limit: 1
        ).first, let payload = try? EventCatalog.decode(last) as? CheckpointSigned {
            checkpoint = Checkpoint(position: last.position, signs: UInt64(payload.position), keyId: payload.keyId)
        }
        return BackupManifest(
            format: currentFormat, vigilVersion: Engine.version, startedAt: startedAt.rfc3339,
            completedAt: completedAt.rfc3339, source: KeyFile.canonical(source) ?? source,
            head: Head(position: report.head.position, chainHash: report.head.hashHex), events: report.events,
            streams: report.streams, compacted: compacted, deepVerified: deep, lastCheckpoint: checkpoint,
            files: files)
    }

    /// Writes the manifest into `directory` (mode 0640, synced).
    public func write(to directory: String) throws(TrustError) {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch {
            throw TrustError(.manifest, "cannot encode the backup manifest: \(error)")
        }
        do {
            try FileMarker.create(directory + "/" + Self.fileName, text: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw TrustError(.io, "cannot write \(directory)/\(Self.fileName): \(error)", cause: error)
        }
    }

    /// Checks that `directory` holds exactly the files the manifest lists, each with its size and
    /// SHA-256; names the first that differs.
    public func checkFiles(in directory: String) throws(TrustError) {
        let present = Set(try BackupFiles.list(directory))
        let listed = Set(files.map(\.path))
        if let missing = listed.subtracting(present).sorted().first {
            throw TrustError(.manifest, "\(directory)/\(missing) is listed in the manifest but missing")
        }
        if let extra = present.subtracting(listed).sorted().first {
            throw TrustError(
                .manifest,
                "\(directory)/\(extra) is not listed in the manifest: the backup was changed after it was made")
        }
        for file in files {
            let (bytes, sha256) = try BackupFiles.digest(directory + "/" + file.path)
            guard bytes == file.bytes, sha256 == file.sha256 else {
                throw TrustError(
                    .manifest,
                    "\(directory)/\(file.path) is not the file the backup wrote (\(bytes) bytes, SHA-256 \(sha256); the manifest says \(file.bytes) bytes, \(file.sha256)): "
                        + "it was damaged or changed; restore another backup")
            }
        }
    }
}
