import ArgumentParser
import EventStore
import FirstResponder

/// `vigil command [run] FILE|-`, `vigil command --list`, `vigil command show NAME`: running commands
/// is the default; the contract is one subcommand away.
struct CommandGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command",
        abstract:
            "Run protocol commands (report a recovery, assign by policy, arrive, …); list and show their contract.",
        subcommands: [CommandCommand.self, CommandCommand.Show.self],
        defaultSubcommand: CommandCommand.self
    )
}

extension CommandCommand {
    /// `vigil command --list [--json]`: every command of the contract, by area.
    static func printList(json: Bool) {
        let entries = CommandCatalog.entries
        if json {
            for entry in entries {
                var w = JSONWriter()
                w.beginObject()
                w.field("command", entry.name)
                w.field("area", entry.area)
                w.field("summary", entry.summary)
                w.field("schema", entry.schemaFile)
                w.key("appends")
                w.beginArray()
                for type in entry.appends { w.string(type) }
                w.endArray()
                w.endObject()
                say(w.string)
            }
            return
        }
        say(
            "COMMAND".padding(toLength: 30, withPad: " ", startingAt: 0)
                + "AREA".padding(toLength: 16, withPad: " ", startingAt: 0) + "WHAT IT DOES")
        for entry in entries {
            say(
                entry.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + entry.area.padding(toLength: 16, withPad: " ", startingAt: 0) + entry.summary)
        }
        say(
            "\(entries.count) commands; 'vigil command show NAME' prints one's fields, rules and events, and its JSON Schema (docs/COMMANDS.md)."
        )
    }

    /// `vigil command show NAME [--schema]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a command's contract: what it does, the events it appends, its rules and its JSON Schema.")

        @Argument(help: "A command's name, e.g. assign-by-policy ('vigil command --list' names them all).")
        var name: String

        @Flag(help: "Print only the JSON Schema (2020-12), e.g. to validate request bodies.")
        var schema = false

        func run() throws {
            guard let entry = CommandCatalog.entry(named: name) else {
                let words = name.lowercased().split(separator: "-").map(String.init)
                let near = CommandCatalog.entries.map(\.name).filter { candidate in
                    words.contains { $0.count > 2 && candidate.contains($0) }
                }
                let hint =
                    near.isEmpty
                    ? "see 'vigil command --list'" : "did you mean \(near.prefix(5).joined(separator: ", "))?"
                throw CLIError("NAME: '\(name)' is not a command; \(hint)")
            }
            guard let text = entry.schemaText else {
                throw CLIError("the schema \(entry.schemaFile) is missing from this build")
            }
            if schema {
                say(text)
                return
            }
            say("\(entry.name) (\(entry.area)): \(entry.summary)")
            say("appends: \(entry.appends.joined(separator: ", "))")
            if !entry.rules.isEmpty {
                say("refused when:")
                for rule in entry.rules { say("  - \(rule)") }
            }
            say("schema (schemas/\(entry.schemaFile)):")
            say(text)
        }
    }
}
