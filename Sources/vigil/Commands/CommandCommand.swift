import ArgumentParser
import EventStore
import FirstResponder
import VigilEngine

/// `vigil command FILE|-`: runs protocol commands, one JSON object per line.
struct CommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run protocol commands (report a recovery, assign by policy, arrive, …), one JSON object per line.",
        discussion: """
            Each line: {"command": "<name>", "occurredAt": "<RFC 3339>", "actor": "user:…", …fields}; \
            'vigil command --list' names them all. Each command is checked against the log before \
            anything is written and appended as one atomic append; the events it appended are printed \
            as one JSON line. A refused command stops the run with its line, the rule or field, and a \
            non-zero exit; the commands before it stay. 'vigil command show NAME' prints a command's \
            contract (docs/COMMANDS.md).
            """
    )

    @OptionGroup var store: DataOptions

    @Option(
        help: ArgumentHelp("The personal-data vault's master key file (needed to seal records).", valueName: "FILE"))
    var keyFile: String?

    @Option(
        help: ArgumentHelp(
            "How far a command's occurredAt may lie after the moment the log receives it (a device clock running ahead).",
            valueName: "SECONDS"))
    var clockSkew: Int64 = 300

    @Flag(help: "List the commands (name, area, what each does) and exit.")
    var list = false

    @Flag(help: "With --list: one JSON object per command.")
    var json = false

    @Argument(help: ArgumentHelp("The commands, or - for standard input.", valueName: "FILE|-"))
    var file: String?

    func validate() throws {
        if !list && file == nil { throw ValidationError("FILE: give a file of commands, or - for standard input") }
        guard (0...86_400).contains(clockSkew) else {
            throw ValidationError("--clock-skew: expected 0 to 86400 seconds, got \(clockSkew)")
        }
    }

    func run() async throws {
        if list {
            Self.printList(json: json)
            return
        }
        let reader = try LineReader(path: file ?? "-")
        let engine = try store.engine(Engine.Options(masterKeyPath: keyFile, clockSkewSeconds: clockSkew))
        defer { engine.close() }
        let handler = engine.commands
        // A sealing stopped between destroying the keys and appending RecordSealed is finished first.
        for seal in try await handler.finishInterruptedSeals() { printError(seal.summary) }
        let out = Output.standard()
        var lineNumber = 0
        var handled = 0
        while let line = reader.next() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            do {
                let result = try await handler.handle(json: Array(line))
                out.line(result.jsonBytes)
                try out.flush()
                handled += 1
            } catch {
                throw CLIError(
                    "line \(lineNumber): \(error); nothing of it was written (\(handled) commands before it were)")
            }
        }
        printError("handled \(handled) commands")
    }
}
