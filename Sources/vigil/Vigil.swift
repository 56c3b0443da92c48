import ArgumentParser
import Glibc

/// The `vigil` command: one tool, a subcommand per job.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Vigil: the event-sourced dispatch engine for the CSEC First Responder Protocol.",
        discussion: """
            Everything is an event in one append-only log (LMDB) in the data directory, ./vigil-data \
            unless --data says otherwise.
            """,
        subcommands: [
            ImportCommand.self,
            ExportCommand.self,
            VerifyCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            CheckpointCommand.self,
            VaultCommand.self,
            LogCommand.self,
            SchemasCommand.self,
            CommandGroup.self,
            SetupCommand.self,
            SimulateCommand.self,
            ViewsCommand.self,
            ReplayCommand.self,
            AuditCommand.self,
            BenchCommand.self,
            ReportCommand.self,
            ServeCommand.self,
            FollowCommand.self,
            TokenCommand.self,
            OpenAPICommand.self,
        ]
    )

    /// Runs as ArgumentParser does, with "did you mean" for a mistyped subcommand.
    static func main() async {
        // A file size limit (ulimit -f) is a storage failure to report, like a full disk, not a
        // signal that kills the process mid-commit: with SIGXFSZ ignored, the write fails with EFBIG.
        signal(SIGXFSZ, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = Suggestions.unknownSubcommand(arguments, root: Self.self) {
            printError(message)
            Glibc.exit(ExitCode.validationFailure.rawValue)
        }
        await main(arguments)
    }
}
