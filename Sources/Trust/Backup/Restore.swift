public import EventStore
public import FirstResponder
import Foundation
import Glibc
import LMDB
public import Projections
import VigilEngine

/// `vigil restore SRC --data DIR`: a backup made a county's store again, only once it is proven
/// whole.
///
/// 1. The backup is complete (no incomplete mark) and every file matches its manifest (size and
///    SHA-256).
/// 2. The target is missing or empty — or, when told to replace it, nobody has it open; its old
///    contents are kept beside it (`DIR.replaced-<time>`), never deleted.
/// 3. The files are copied into a staging directory beside the target, and the store there is
///    verified as `vigil verify` does (`deep`: every page) and must end at the manifest's head.
/// 4. Every view is rebuilt from the log; where the backup carried a view of the same version, the
///    rebuilt one must have the same digest.
/// 5. With checkpoint keys, every signed checkpoint must check out.
/// 6. A sealing the backup caught half-way — the vault copied after the youth's data was destroyed,
///    the log before its `RecordSealed` events (``PendingSeal``) — is finished with the vault's master
///    key, as `vigil command` would; without the key the restore is refused, since the restored log
///    would otherwise not say "sealed" about a record whose data is gone.
/// 7. Only then does the staging directory become the target (a rename), with the manifest kept
///    as `restored-from.json`, the record of where the store came from.
///
/// Anything that fails leaves the target as it was and removes the staging directory.
public struct Restore: Sendable {
    /// The backup directory.
    public var source: String
    /// The data directory to restore into.
    public var target: String
    /// Replace a non-empty target (its contents are moved aside, not deleted).
    public var replace = false
    /// Walk every page of the restored store.
    public var deep = false
    /// When set, every signed checkpoint must verify with these keys.
    public var checkpointVerifier: CheckpointVerifier?
    /// The personal-data vault's master key file: needed only when the backup holds a sealing to finish.
    public var masterKeyPath: String?
    /// The key of an encrypted backup (`source` a file made by `vigil backup --encrypt-key`).
    public var encryptionKey: BackupKey?

    /// The file the source's manifest is kept under in the restored data directory.
    public static let provenanceName = "restored-from.json"

    /// A restore of `source` into `target`.
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }

    /// What a restore did.
    public struct Outcome: Sendable {
        /// The backup's manifest.
        public var manifest: BackupManifest
        /// The verification of the restored store.
        public var verification: VerificationReport
        /// Each view rebuilt, with its digest and the backup's view's digest when there was one.
        public var views: [RebuildResult]
        /// The checkpoints checked, when keys were given.
        public var checkpoints: CheckpointReport?
        /// Where the target's earlier contents were moved, when it was replaced.
        public var replacedMovedTo: String?
        /// The sealings the backup caught half-way, finished in the restored store.
        public var finishedSeals: [InterruptedSeal] = []
    }

    /// Runs the restore; `progress` hears each step. An encrypted backup is opened first (every
    /// chunk authenticated) into a hidden directory beside the target, removed afterwards.
    public func run(progress: (String) -> Void = { _ in }) async throws -> Outcome {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return try await runPlain(progress: progress)
        }
        guard EncryptedBackup.isArchive(source) else {
            throw TrustError(.restore, "SRC: \(source) is neither a backup directory nor an encrypted backup")
        }
        guard let encryptionKey else {
            throw TrustError(
                .restore,
                "SRC: \(source) is an encrypted backup: give --encrypt-key FILE, the backup key it was made with")
        }
        _ = try checkTarget()
        let opened = stagingPath + ".decrypted"
        try? FileManager.default.removeItem(atPath: opened)
        defer { try? FileManager.default.removeItem(atPath: opened) }
        do {
            try EncryptedBackup.open(source, key: encryptionKey, into: opened)
        } catch {
            try? FileManager.default.removeItem(atPath: opened)
            throw error
        }
        progress("encrypted backup opened with backup key \(encryptionKey.id): every chunk authenticated")
        var plain = self
        plain.source = opened
        plain.encryptionKey = nil
        return try await plain.runPlain(progress: progress)
    }

    private func runPlain(progress: (String) -> Void) async throws -> Outcome {
        let manifest = try checkSource()
        progress("backup checked: \(manifest.files.count) files match the manifest")
        let replacing = try checkTarget()
        let staging = stagingPath
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try BackupFiles.makeDirectory(staging)
            for file in manifest.files {
                let to = staging + "/" + file.path
                if let slash = to.lastIndex(of: "/") { try BackupFiles.makeDirectory(String(to[..<slash])) }
                let copied = try BackupFiles.copy(source + "/" + file.path, to: to)
                guard copied.bytes == file.bytes, copied.sha256 == file.sha256 else {
                    throw TrustError(.restore, "\(source)/\(file.path) changed while it was copied")
                }
            }
            progress("copied \(manifest.totalBytes) bytes")
            var outcome = try await check(staging, manifest, progress: progress)
            try manifest.write(to: staging, named: Self.provenanceName)
            outcome.replacedMovedTo = try swapIn(staging, replacing: replacing)
            return outcome
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// The staging directory: a hidden sibling of the target, on the same file system.
    var stagingPath: String {
        let trimmed = target.hasSuffix("/") ? String(target.dropLast()) : target
        let parent = trimmed.lastIndex(of: "/").map { String(trimmed[..<$0]) } ?? "."
        let name = trimmed.lastIndex(of: "/").map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        return (parent.isEmpty ? "" : parent) + "/." + name + ".restoring"
    }

    private func checkSource() throws(TrustError) -> BackupManifest {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TrustError(.restore, "SRC: \(source) is not a directory holding a backup")
        }
        if FileManager.default.fileExists(atPath: source + "/" + BackupDirectory.incompleteMarker) {
            throw TrustError(
                .restore,
                "SRC: \(source) is a backup that did not complete (\(BackupDirectory.incompleteMarker) is there): it may lack events; restore another backup"
            )
        }
        let manifest = try BackupManifest.read(directory: source)
        try manifest.checkFiles(in: source)
        return manifest
    }

    /// Whether the target holds something to replace; refuses a non-empty target unless told.
    private func checkTarget() throws(TrustError) -> Bool {
        if let a = KeyFile.canonical(source), let b = KeyFile.canonical(target), a == b {
            throw TrustError(.restore, "--data: \(target) is the backup itself")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else {
            throw TrustError(.restore, "--data: \(target) is a file; a store is restored into a directory")
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        guard !contents.isEmpty else { return false }
        guard replace else {
            throw TrustError(
                .restore,
                "--data: \(target) is not empty (\(contents.count) entries): restore into an empty or missing directory, or give --replace to move its contents aside (they are kept as \(target).replaced-<time>)"
            )
        }
        // Fail before the long checks when the target is in use; the lock is taken again to swap.
        try DirectoryInUse.lock(target).release()
        return true
    }

    private func check(
        _ staging: String, _ manifest: BackupManifest, progress: (String) -> Void
    ) async throws -> Outcome {
        let vault = PersonalDataVault.check(storeDirectory: staging, deep: true)
        if let vault, !vault.isValid {
            throw TrustError(
                .restore,
                "the restored personal-data vault does not check out: \(vault.problems.joined(separator: "; "))")
        }
        let pendingSeals = vault?.pendingSeals ?? 0
        if pendingSeals > 0 && masterKeyPath == nil {
            throw TrustError(
                .restore,
                "the backup was taken while \(pendingSeals == 1 ? "a sealing was" : "\(pendingSeals) sealings were") half-way: the youth's personal data is destroyed in its vault, but its log lacks the RecordSealed events; give --key-file K (the vault's master key) and restore finishes the sealing"
            )
        }
        let engine: Engine
        do {
            // The key opens the vault for writing only when there is one: never make an empty vault.
            engine = try Engine.open(
                directory: staging, options: Engine.Options(masterKeyPath: vault == nil ? nil : masterKeyPath))
        } catch {
            throw TrustError(.restore, "the restored store does not open: \(error)", cause: error)
        }
        defer { engine.close() }
        let report = try engine.store.verify(deep: deep)
        guard report.isValid else {
            throw TrustError(
                .restore,
                "the restored store does not verify: \(report.problems.map(\.description).joined(separator: "; "))")
        }
        guard report.head.position == manifest.head.position, report.head.hashHex == manifest.head.chainHash else {
            throw TrustError(
                .restore,
                "the restored store ends at position \(report.head.position) \(report.head.hashHex), but the manifest says \(manifest.head.position) \(manifest.head.chainHash)"
            )
        }
        progress("verified: \(report.events) events, head \(report.head.position) \(report.head.hashHex)")
        let views = try engine.projections.rebuild()
        if let differing = views.first(where: { $0.matchesLive == false }) {
            throw TrustError(
                .restore,
                "view '\(differing.name)' rebuilt from the log has digest \(differing.digest), but the backup's view at the same position has \(differing.liveDigest.map(\.hex) ?? "none"): the backup's views are not a fold of its log"
            )
        }
        progress("views rebuilt: \(views.map { "\($0.name) \($0.digest.hex.prefix(12))" }.joined(separator: ", "))")
        var checkpoints: CheckpointReport?
        if let checkpointVerifier {
            let audit = try checkpointVerifier.audit(engine.store, through: report.head.position)
            guard audit.isValid else {
                throw TrustError(
                    .restore, "the backup's checkpoints do not check out: \(audit.problems.joined(separator: "; "))")
            }
            checkpoints = audit
        }
        var outcome = Outcome(
            manifest: manifest, verification: report, views: views, checkpoints: checkpoints, replacedMovedTo: nil)
        if pendingSeals > 0 {
            outcome.finishedSeals = try await engine.commands.finishInterruptedSeals()
            for seal in outcome.finishedSeals { progress(seal.summary) }
            if let stuck = outcome.finishedSeals.first(where: { $0.positions == nil }) {
                throw TrustError(.restore, stuck.summary)
            }
            _ = try engine.projections.catchUp()
        }
        return outcome
    }

    /// Renames the staging directory to the target; a replaced target's contents move aside first.
    private func swapIn(_ staging: String, replacing: Bool) throws(TrustError) -> String? {
        var movedTo: String?
        if replacing {
            let lock = try DirectoryInUse.lock(target)
            defer { lock.release() }
            let aside = target + ".replaced-" + Timestamp.now().rfc3339.replacingOccurrences(of: ":", with: "")
            guard rename(target, aside) == 0 else {
                throw TrustError(.io, "cannot move \(target) aside to \(aside): \(String(cString: strerror(errno)))")
            }
            movedTo = aside
        } else if FileManager.default.fileExists(atPath: target) {
            guard rmdir(target) == 0 else {
                throw TrustError(
                    .io, "cannot replace the empty directory \(target): \(String(cString: strerror(errno)))")
            }
        }
        guard rename(staging, target) == 0 else {
            let failure = String(cString: strerror(errno))
            if let movedTo { rename(movedTo, target) }
            throw TrustError(.io, "cannot move the restored store into \(target): \(failure)")
        }
        try? FileMarker.syncDirectory(of: target)
        return movedTo
    }
}

extension BackupManifest {
    /// Writes the manifest into `directory` under `name`.
    func write(to directory: String, named name: String) throws(TrustError) {
        try write(to: directory)
        guard rename(directory + "/" + Self.fileName, directory + "/" + name) == 0 else {
            throw TrustError(.io, "cannot write \(directory)/\(name): \(String(cString: strerror(errno)))")
        }
    }
}
