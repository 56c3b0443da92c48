import ArgumentParser
import DispatchServer
import EventStore
import Trust

/// `vigil restore SRC --data DIR`: a backup made a store again, once it is proven whole.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by 'vigil backup' into DIR, checking every step first.",
        discussion: """
            SRC must be a complete backup whose files match its manifest (vigil-backup.json: sizes and \
            SHA-256s). DIR must be missing or empty; with --replace a non-empty DIR that no process has \
            open is moved aside to DIR.replaced-<time> (kept, never deleted). The files are copied into a \
            staging directory beside DIR; the store there must verify (as 'vigil verify', or with --deep \
            every page) and end at the manifest's head; every view is rebuilt from the log and, where the \
            backup carried the view, its digest must match; with --key every signed checkpoint must \
            verify. A backup taken while a sealing was half-way (the youth's data destroyed in the vault, \
            the log without its RecordSealed yet) is finished in the copy with --key-file K, the vault's \
            master key, and refused without it. An encrypted backup (a file from 'vigil backup --encrypt-key') \
            needs --encrypt-key FILE: every chunk is authenticated as it is opened into a hidden directory \
            beside DIR (removed afterwards), and a wrong key or a damaged, tampered or cut-short file is \
            refused by name. The token file the backup carried (tokens.json) is restored with the store: \
            tokens revoked since the backup was taken must be revoked again. Only then does it become DIR, with the manifest kept as DIR/restored-from.json. \
            Anything that fails leaves DIR as it was. Exit status 0 on success, 1 otherwise.
            """
    )

    @OptionGroup var store: DataOptions

    @Argument(help: ArgumentHelp("The backup directory, or an encrypted backup's file.", valueName: "SRC"))
    var source: String

    @Flag(help: "Replace a non-empty DIR: its contents are moved aside to DIR.replaced-<time>.")
    var replace = false

    @Flag(help: "Also walk every page of the restored store.")
    var deep = false

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "The county's checkpoint public key: every signed checkpoint must verify with it (repeatable).",
            valueName: "PUB"))
    var keys: [String] = []

    @Option(
        help: ArgumentHelp(
            "The personal-data vault's master key: finishes a sealing the backup caught half-way.",
            valueName: "K"))
    var keyFile: String?

    @Option(
        help: ArgumentHelp(
            "The backup key an encrypted backup (a file from 'vigil backup --encrypt-key') was sealed with.",
            valueName: "FILE"))
    var encryptKey: String?

    func run() async throws {
        var restore = Restore(source: source, target: store.data)
        if let encryptKey {
            do {
                restore.encryptionKey = try BackupKey.load(path: encryptKey, outside: nil, option: "--encrypt-key")
            } catch {
                throw CLIError("nothing was restored into \(store.data): \(error)")
            }
        }
        restore.replace = replace
        restore.deep = deep
        restore.masterKeyPath = keyFile
        if !keys.isEmpty { restore.checkpointVerifier = CheckpointVerifier(keys: try loadPublicKeys(keys)) }
        let outcome: Restore.Outcome
        do {
            outcome = try await restore.run { printError($0) }
        } catch {
            throw CLIError("nothing was restored into \(store.data): \(error)")
        }
        let manifest = outcome.manifest
        var message =
            "restored \(outcome.verification.events) events (head \(manifest.head.position) \(manifest.head.chainHash), backup of \(manifest.startedAt) by vigil \(manifest.vigilVersion)) into \(store.data); verified; \(outcome.views.count) views rebuilt"
        let compared = outcome.views.filter { $0.matchesLive == true }.count
        if compared > 0 { message += " (\(compared) equal to the backup's)" }
        if let checkpoints = outcome.checkpoints, let covered = checkpoints.coveredThrough {
            let n = checkpoints.signed.count
            message += "; \(n) checkpoint\(n == 1 ? " verifies" : "s verify"), signed through position \(covered)"
        }
        if !outcome.finishedSeals.isEmpty {
            let n = outcome.finishedSeals.count
            message += "; finished \(n) interrupted sealing\(n == 1 ? "" : "s") (RecordSealed appended)"
        }
        if outcome.manifest.files.contains(where: { $0.path == TokenFile.fileName }) {
            let tokens = (try? TokenFile.list(in: store.data)) ?? []
            message +=
                "; \(tokens.filter(\.isActive).count) active tokens restored as of the backup (\(manifest.completedAt)): revoke again any revoked since ('vigil token list')"
        }
        if let aside = outcome.replacedMovedTo { message += "; the earlier contents of \(store.data) are in \(aside)" }
        say(message)
    }
}
