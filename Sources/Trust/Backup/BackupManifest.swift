import Foundation

/// What a backup holds, written beside it as `vigil-backup.json` by `vigil backup` before the backup
/// is marked complete, and checked by `vigil restore` before anything is restored: the log's head
/// (position and chain hash) as verified in the copy, when the copy began and ended, every file
/// with its size and SHA-256, and the Vigil version that made it.
///
/// A backup whose files no longer match their manifest (a bit flipped on the backup disk, a file
/// truncated or swapped) is refused by name before it can become a county's store.
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The manifest's file name in a backup directory.
    public static let fileName = "vigil-backup.json"
    /// The manifest format this build writes and reads.
    public static let currentFormat = 1

    /// The log's head in the copy.
    public struct Head: Codable, Sendable, Equatable {
        /// The last position.
        public var position: UInt64
        /// Its chain hash (64 hexadecimal digits).
        public var chainHash: String
    }

    /// The last signed checkpoint in the copy (not checked against a key here).
    public struct Checkpoint: Codable, Sendable, Equatable {
        /// The checkpoint event's position.
        public var position: UInt64
        /// The position it signs.
        public var signs: UInt64
        /// The key id it names.
        public var keyId: String
    }

    /// One file of the backup, by its path inside the backup directory.
    public struct File: Codable, Sendable, Equatable {
        /// The path relative to the backup directory (`data.mdb`, `vault/g…/data.mdb`).
        public var path: String
        /// Its size in bytes.
        public var bytes: UInt64
        /// Its SHA-256 (64 hexadecimal digits).
        public var sha256: String
    }

    /// The manifest format.
    public var format: Int
    /// The Vigil version that made the backup.
    public var vigilVersion: String
    /// When the copy began (RFC 3339, UTC): every event acknowledged before then is in it.
    public var startedAt: String
    /// When the backup was verified and complete.
    public var completedAt: String
    /// The store the backup was made from.
    public var source: String
    /// The head of the log in the copy, as verified.
    public var head: Head
    /// Events in the copy.
    public var events: UInt64
    /// Streams in the copy.
    public var streams: UInt64
    /// Whether free pages were left out.
    public var compacted: Bool
    /// Whether the copy was checked with every page walked (`--deep`).
    public var deepVerified: Bool
    /// The last signed checkpoint in the copy, if any.
    public var lastCheckpoint: Checkpoint?
    /// Every file of the backup but the manifest and LMDB's lock files, sorted by path.
    public var files: [File]

    /// Bytes in all the files.
    public var totalBytes: UInt64 { files.reduce(0) { $0 + $1.bytes } }

    /// The manifest as it is written: pretty-printed JSON with sorted keys and a final newline.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Reads the manifest of the backup in `directory`.
    public static func read(directory: String) throws(TrustError) -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrustError(
                .manifest,
                "\(directory) has no \(fileName): it is not a complete backup made by 'vigil backup' (a backup made by Vigil before 0.6 has none: restore it by copying its files)"
            )
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw TrustError(.manifest, "\(path) is not a readable backup manifest: \(error)")
        }
        guard manifest.format <= currentFormat else {
            throw TrustError(
                .manifest,
                "\(path) is manifest format \(manifest.format); this vigil reads up to \(currentFormat): upgrade vigil")
        }
        return manifest
    }
}
