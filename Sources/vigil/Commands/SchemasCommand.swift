import ArgumentParser
import EventStore
import FirstResponder

/// `vigil schemas list|show TYPE`: the event catalog, the external contract.
struct SchemasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "The event catalog: every event type, its schema versions, area and stream.",
        subcommands: [List.self, Show.self]
    )

    /// `vigil schemas list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every event type with its versions, area and stream.")

        @Flag(help: "Print one JSON document: an array with an object per event type.")
        var json = false

        func run() {
            let entries = EventCatalog.entries.sorted { ($0.area, $0.type) < ($1.area, $1.type) }
            if json {
                // One document (an array), an element per line: readable, and `jq`/`json.load` take it whole.
                say("[")
                for (index, entry) in entries.enumerated() {
                    var w = JSONWriter()
                    w.beginObject()
                    w.field("type", entry.type)
                    w.field("area", entry.area)
                    w.field("currentVersion", entry.currentVersion)
                    w.key("streams")
                    w.beginArray()
                    for template in entry.versions.last?.streamTemplates ?? [] { w.string(template) }
                    w.endArray()
                    w.key("schemas")
                    w.beginArray()
                    for version in entry.versions { w.string("events/" + version.schemaFile) }
                    w.endArray()
                    w.endObject()
                    say("  " + w.string + (index == entries.count - 1 ? "" : ","))
                }
                say("]")
                return
            }
            say(row("TYPE", "VERSIONS", "AREA", "STREAM"))
            for entry in entries {
                let versions = entry.versions.map { "v\($0.schemaVersion)" }.joined(separator: ",")
                let streams = (entry.versions.last?.streamTemplates ?? []).joined(separator: " | ")
                say(row(entry.type, versions, entry.area, streams))
            }
            say("\(entries.count) event types; 'vigil schemas show TYPE' prints one schema (JSON Schema 2020-12).")
        }

        private func row(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
            a.padding(toLength: 30, withPad: " ", startingAt: 0) + b.padding(toLength: 10, withPad: " ", startingAt: 0)
                + c.padding(toLength: 16, withPad: " ", startingAt: 0) + d
        }
    }

    /// `vigil schemas show TYPE [--version N]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an event type's JSON Schema (or 'defs' / 'import-line', the shared ones).")

        @Argument(help: "An event type, e.g. ResponderAssigned; or defs, or import-line.")
        var type: String

        @Option(help: "The schema version (default: the current one).")
        var version: UInt16?

        func run() throws {
            if type == "defs" || type == "import-line" {
                guard let text = EventCatalog.schemaTexts["\(type).schema.json"] else {
                    throw CLIError("the \(type) schema is missing from this build")
                }
                say(text)
                return
            }
            guard let entry = EventCatalog.entry(for: type) else {
                let near = EventCatalog.entries.map(\.type).filter {
                    $0.lowercased().contains(type.lowercased()) || type.lowercased().contains($0.lowercased())
                }
                let hint = near.isEmpty ? "see 'vigil schemas list'" : "did you mean \(near.joined(separator: ", "))?"
                throw CLIError("TYPE: '\(type)' is not an event type of the catalog; \(hint)")
            }
            let wanted = version ?? entry.currentVersion
            guard let v = entry.versions.first(where: { $0.schemaVersion == wanted }) else {
                throw CLIError("--version: \(entry.type) has versions 1 to \(entry.currentVersion), not \(wanted)")
            }
            guard let text = EventCatalog.schemaTexts["events/" + v.schemaFile] else {
                throw CLIError("the schema events/\(v.schemaFile) is missing from this build")
            }
            say(text)
        }
    }
}
