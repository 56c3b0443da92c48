import ArgumentParser
import DispatchServer
import EventStore
import FirstResponder
import Foundation
import Trust
import VigilEngine

/// `vigil backup DIR`: a consistent hot copy of the store.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store to DIR while it stays in use.",
        discussion: """
            The copy is LMDB's own hot backup (mdb_env_copyfd2): one snapshot, taken while readers and \
            the writer go on. By default it is compacted: free pages are left out, so bytes of sealed \
            personal data that LMDB had freed but not yet reused are not carried over. The copy is \
            synced and checked as 'vigil verify' checks a store (--deep: as 'vigil verify --deep') before \
            the command reports success; until then DIR holds vigil.backup-incomplete, and every command \
            refuses it. Running the backup again into the same directory starts an incomplete one over.

            Last, it writes DIR/vigil-backup.json, the manifest 'vigil restore' checks: the head position \
            and chain hash as verified in the copy, when the copy began (every event acknowledged before \
            then is in it) and ended, the events and streams, the last signed checkpoint, Vigil's version, \
            and every file with its size and SHA-256. The API's token file (DIR/tokens.json: the tokens' \
            SHA-256s only, mode 0600) is carried too, so a restored store opens to the same tokens.

            With --encrypt-key FILE (a 256-bit key, 64 hexadecimal digits: 'openssl rand -hex 32'; mode \
            0600, outside the data directory), DIR is instead one new file, the verified backup sealed \
            with AES-256-GCM, for copies that leave the secure location (CJIS Security Policy 5.10). The \
            plain copy is made beside the data directory, sealed, read back and checked, then removed. \
            'vigil restore DIR --encrypt-key FILE' opens it; a wrong key or a damaged, tampered or \
            cut-short file is refused by name.
            """
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "Copy every page as it is, free ones included (faster; keeps freed bytes).")
    var noCompact = false

    @Flag(help: "Check the copy with verify --deep (every page) instead of verify.")
    var deep = false

    @Option(
        help: ArgumentHelp(
            "Seal the backup with this AES-256 key file (64 hexadecimal digits, mode 0600, outside the data directory): DIR becomes one encrypted file.",
            valueName: "FILE"))
    var encryptKey: String?

    @Argument(
        help: ArgumentHelp(
            "An empty or missing directory for the copy (with --encrypt-key: a new file).", valueName: "DIR"))
    var directory: String

    func run() throws {
        guard let encryptKey else {
            say(try copy(into: directory))
            return
        }
        let key: BackupKey
        do {
            key = try BackupKey.load(path: encryptKey, outside: store.data, option: "--encrypt-key")
        } catch {
            throw CLIError("\(error)")
        }
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw CLIError("DIR: \(directory) exists: an encrypted backup is written to a new file")
        }
        // The plain copy stays in the secure location, beside the data directory, until it is sealed.
        let staging = Self.stagingPath(beside: store.data)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let summary = try copy(into: staging)
        let size: UInt64
        do {
            size = try EncryptedBackup.seal(directory: staging, into: directory, key: key)
        } catch {
            throw CLIError("DIR: \(error); nothing was written to \(directory)")
        }
        say(
            summary.replacingOccurrences(of: " in \(staging)", with: "")
                + "; sealed with AES-256-GCM (backup key \(key.id)) into \(directory), \(bytes(Int(size)))")
    }

    /// A hidden sibling of the data directory, on the same (secure) file system.
    static func stagingPath(beside data: String) -> String {
        let url = URL(fileURLWithPath: data).standardizedFileURL
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".backup-\(getpid())"
    }

    /// Makes the verified plain backup in `directory`; returns what to say about it.
    private func copy(into directory: String) throws -> String {
        let source = try store.engine(.readOnly).store
        do {
            let startedAt = Timestamp.now()
            let backup = try BackupDirectory.begin(
                at: directory, extraFiles: ["vault", BackupManifest.fileName, TokenFile.fileName])
            let copying = Progress("backup", total: UInt64(try source.statistics().usedBytes), unit: .bytes)
            defer { copying.finish() }
            try copying.polling(
                { fileSize(directory + "/data.mdb") }, during: { try source.copy(into: backup, compact: !noCompact) })
            copying.finish()
            let vault: Bool
            do {
                vault = try PersonalDataVault.copy(storeDirectory: source.environment.directory, into: backup)
            } catch {
                throw CLIError(
                    "the copy of the personal-data vault into \(directory) failed, and the backup stays marked incomplete: \(error)"
                )
            }
            let tokens = try backup.carry(TokenFile.fileName, from: store.data)
            let copy = try backup.openStore()
            let verifying = Progress("backup: verifying the copy", total: try copy.head().position, unit: .events)
            let report = try copy.verify(deep: deep) { verifying.update($0) }
            verifying.finish()
            guard report.isValid else {
                throw CLIError(
                    "the copy in \(directory) does not verify, and stays marked incomplete: "
                        + report.problems.map(\.description).joined(separator: "; "))
            }
            let manifest = try BackupManifest.make(
                directory: directory, source: store.data, startedAt: startedAt, completedAt: Timestamp.now(),
                report: report, copy: copy, compacted: !noCompact, deep: deep)
            copy.close()
            try manifest.write(to: directory)
            try backup.complete()
            let size =
                (try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")[.size] as? NSNumber)?
                .intValue ?? 0
            let carried = [vault ? "the personal-data vault" : nil, tokens ? "the token file" : nil].compactMap { $0 }
            return
                "backup of \(report.events) events (head \(report.head.position) \(report.head.hashHex))\(carried.isEmpty ? "" : " and " + carried.joined(separator: " and ")) in \(directory), \(bytes(size))\(noCompact ? "" : ", compacted"); verified"
        } catch let error as EventStoreError {
            throw CLIError("DIR: \(error)")
        } catch let error as TrustError {
            throw CLIError("DIR: \(error); the backup stays marked incomplete")
        }
    }
}

/// The size of the file at `path`, or 0.
private func fileSize(_ path: String) -> UInt64 {
    var info = stat()
    return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
}
