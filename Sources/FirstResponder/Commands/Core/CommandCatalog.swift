/// The command contract: every command with its area, what it appends and the rules it checks, and
/// its JSON Schema (`schemas/commands/<name>.schema.json`, shipped in the build). Generated from the
/// schemas by scripts/generate-commands; docs/COMMANDS.md is the same list for people.
public enum CommandCatalog {
    /// One command of the contract.
    public struct Entry: Sendable {
        /// The command's name, e.g. `assign-by-policy`.
        public let name: String
        /// Its area: Intake, Dispatch, 72 hours, Closure, Accountability, Training or Roster.
        public let area: String
        /// What it does, in one sentence.
        public let summary: String
        /// Its schema's path under `schemas/`, e.g. `commands/assign-by-policy.schema.json`.
        public let schemaFile: String
        /// The event types it may append, in the order it appends them.
        public let appends: [String]
        /// The rules it is refused by, as `name: when`.
        public let rules: [String]
        /// The generated Swift type.
        let swiftType: any JSONCommand.Type

        /// The schema document (JSON Schema 2020-12).
        public var schemaText: String? { EventCatalog.schemaTexts[schemaFile] }
    }

    /// Every command, by area in the catalog's order, then by name.
    public static var entries: [Entry] { generatedEntries }

    private static let byName: [String: Entry] = Dictionary(
        uniqueKeysWithValues: generatedEntries.map { ($0.name, $0) })

    /// The command named `name`, if there is one.
    public static func entry(named name: String) -> Entry? { byName[name] }
}
