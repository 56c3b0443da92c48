import ArgumentParser
import EventStore
import Foundation
import VigilEngine

/// `vigil backup DIR`: a consistent hot copy of the store.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store to DIR while it stays in use.",
        discussion: """
            The copy is LMDB's own hot backup (mdb_env_copy2): one snapshot, taken while readers and \
            the writer go on. By default it is compacted: free pages are left out, so bytes of sealed \
            personal data that LMDB had freed but not yet reused are not carried over. The copy is \
            verified (hash chain and indexes) before the command reports success.
            """
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "Copy every page as it is, free ones included (faster; keeps freed bytes).")
    var noCompact = false

    @Argument(help: ArgumentHelp("An empty or missing directory for the copy.", valueName: "DIR"))
    var directory: String

    func run() throws {
        let source = try store.engine(.readOnly).store
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("DIR: \(directory) is a file, expected a directory") }
            guard try fm.contentsOfDirectory(atPath: directory).isEmpty else {
                throw CLIError("DIR: \(directory) is not empty; a backup goes into an empty directory")
            }
        } else {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        do {
            try source.environment.copy(to: directory, compact: !noCompact)
        } catch {
            throw CLIError("the copy into \(directory) failed: \(error)")
        }
        let copy = try DataOptions.parse(["--data", directory]).engine(.readOnly).store
        let report = try copy.verify()
        guard report.isValid else {
            throw CLIError(
                "the copy in \(directory) does not verify: \(report.problems.map(\.description).joined(separator: "; "))"
            )
        }
        let size = (try? fm.attributesOfItem(atPath: directory + "/data.mdb")[.size] as? NSNumber)?.intValue ?? 0
        say(
            "backup of \(report.events) events (head \(report.head.position) \(report.head.hashHex)) in \(directory), \(bytes(size))\(noCompact ? "" : ", compacted"); verified"
        )
    }
}
