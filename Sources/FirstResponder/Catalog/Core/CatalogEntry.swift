/// What the catalog knows about one event type: its versions, their schema files and Swift types,
/// its stream-naming rule and how old versions are upcast.
public struct CatalogEntry: Sendable {
    /// One schema version of the type.
    public struct Version: Sendable {
        /// The schema version.
        public let schemaVersion: UInt16
        /// The schema's file name in `schemas/events/`, e.g. `ArrestRecorded.v2.schema.json`.
        public let schemaFile: String
        /// The schema's `$id`, e.g. `urn:vigil:event:ArrestRecorded:v2`.
        public let schemaID: String
        /// The stream-naming templates (`x-vigil-stream`), e.g. `case-{caseId}`; with several, the
        /// first whose fields are present applies.
        public let streamTemplates: [String]
        /// The Swift type of this version.
        public let swiftType: any DomainEvent.Type
        /// Converts a value of this version to the current one (`nil` for the current version).
        let upcastToCurrent: (@Sendable (any DomainEvent) -> any DomainEvent)?

        init(
            schemaVersion: UInt16, schemaFile: String, schemaID: String, streamTemplates: [String],
            swiftType: any DomainEvent.Type, upcastToCurrent: (@Sendable (any DomainEvent) -> any DomainEvent)?
        ) {
            self.schemaVersion = schemaVersion
            self.schemaFile = schemaFile
            self.schemaID = schemaID
            self.streamTemplates = streamTemplates
            self.swiftType = swiftType
            self.upcastToCurrent = upcastToCurrent
        }
    }

    /// The event type's name, e.g. `ArrestRecorded`.
    public let type: String
    /// The catalog area (`x-vigil-area`): Intake, Dispatch, 72 hours, Closure, Accountability,
    /// Training, Roster or Timers.
    public let area: String
    /// Every version, ascending from 1.
    public let versions: [Version]

    /// The current (highest) version: what writers write and readers upcast to.
    public var currentVersion: UInt16 { versions[versions.count - 1].schemaVersion }

    /// The current version's details.
    public var current: Version { versions[versions.count - 1] }

    /// The schema file of the current version.
    public var schemaFile: String { current.schemaFile }

    /// The stream-naming templates of the current version.
    public var streamTemplates: [String] { current.streamTemplates }

    /// The given version's details, if the type has it.
    public func version(_ schemaVersion: UInt16) -> Version? {
        guard schemaVersion >= 1, Int(schemaVersion) <= versions.count else { return nil }
        return versions[Int(schemaVersion) - 1]
    }
}
