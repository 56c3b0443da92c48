import ArgumentParser
import EventStore
import Foundation
import VigilEngine

/// `vigil log stat`, `vigil log tail` and `vigil log show`.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Look at the log: statistics, the latest events, one event whole.",
        subcommands: [Stat.self, Tail.self, Show.self]
    )

    /// `vigil log stat`.
    struct Stat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts, streams, sizes, map size and head.")

        @OptionGroup var store: DataOptions

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let eventStore = try store.engine(.readOnly).store
            let s = try eventStore.statistics()
            if json {
                var w = JSONWriter()
                w.beginObject()
                w.field("directory", eventStore.environment.directory)
                w.field("format", s.formatVersion)
                w.field("events", s.events)
                w.field("streams", s.streams)
                w.field("headPosition", s.head.position)
                w.field("headHash", s.head.hashHex)
                w.field("usedBytes", s.usedBytes)
                w.field("mapSize", s.mapSize)
                w.key("databases")
                w.beginObject()
                for (name, db) in s.databases.sorted(by: { $0.key < $1.key }) {
                    w.key(name)
                    w.beginObject()
                    w.field("entries", db.entries)
                    w.field("bytes", db.bytes)
                    w.field("depth", db.depth)
                    w.endObject()
                }
                w.endObject()
                w.endObject()
                say(w.string)
                return
            }
            say("store      \(eventStore.environment.directory) (format \(s.formatVersion))")
            say("events     \(s.events)")
            say("streams    \(s.streams)")
            say("head       \(s.head.position) \(s.head.hashHex)")
            say("data file  \(bytes(s.usedBytes)) used, map \(bytes(s.mapSize))")
            for (name, db) in s.databases.sorted(by: { $0.key < $1.key }) {
                let padded = name.padding(toLength: 11, withPad: " ", startingAt: 0)
                say("  \(padded) \(db.entries) entries, \(bytes(db.bytes)), depth \(db.depth)")
            }
        }
    }

    /// `vigil log tail [-n N] [--follow]`.
    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The last events; with --follow, new ones as they commit.")

        @OptionGroup var store: DataOptions

        @Option(name: .short, help: "How many of the latest events to show.")
        var n = 10

        @Flag(help: "Keep printing events as they are appended (Ctrl-C to stop).")
        var follow = false

        @Flag(help: "Print export lines (NDJSON) instead of one summary line per event.")
        var json = false

        func validate() throws {
            guard n >= 0 else { throw ValidationError("-n: expected 0 or more, got \(n)") }
        }

        func run() async throws {
            let eventStore = try store.engine(.readOnly).store
            let out = Output.standard()
            let head = try eventStore.head().position
            let start = head > UInt64(n) ? head - UInt64(n) : 0
            try eventStore.scan(from: start + 1, through: head) { view in
                out.line(render(view.materialize()))
            }
            try out.flush()
            guard follow else { return }
            for try await event in eventStore.subscribe(after: head, pollInterval: .milliseconds(200)) {
                out.line(render(event))
                try out.flush()
            }
        }

        private func render(_ e: RecordedEvent) -> [UInt8] {
            if json { return EventLine.export(e, renderBinary: DomainCodec.json) }
            return Array(
                "#\(e.position)  \(e.recordedAt.rfc3339)  \(e.stream)@\(e.version)  \(e.type)  \(e.actor)  occurred \(e.occurredAt.rfc3339)"
                    .utf8)
        }
    }
}

extension LogCommand {
    /// `vigil log show POSITION | --id UUID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One event whole, as indented JSON with its envelope.",
            discussion: """
                Prints the event at POSITION (or with the id --id) as its export line — position, stream, \
                version, id, type, schemaVersion, occurredAt, recordedAt, actor, data, hash — indented, \
                nothing cut: a dispatch decision (RecommendationComputed) shows every candidate with its \
                score and reasons and every exclusion with its reason. 'vigil log show --json' prints the \
                one line as 'vigil export' writes it.
                """
        )

        @OptionGroup var store: DataOptions

        @Argument(help: ArgumentHelp("The event's log position.", valueName: "POSITION"))
        var position: UInt64?

        @Option(help: ArgumentHelp("The event's id instead of its position.", valueName: "UUID"))
        var id: String?

        @Flag(help: "Print the export line (one line of NDJSON) instead of indented JSON.")
        var json = false

        func validate() throws {
            switch (position, id) {
            case (nil, nil): throw ValidationError("give a POSITION or --id UUID")
            case (.some, .some): throw ValidationError("give a POSITION or --id UUID, not both")
            case (let p?, nil) where p == 0: throw ValidationError("POSITION: positions start at 1")
            case (nil, let id?) where UUID(text: id) == nil:
                throw ValidationError("--id: expected a UUID like 0190f1c2-7a4b-7def-8123-456789abcdef, got '\(id)'")
            default: break
            }
        }

        func run() throws {
            let engine = try store.engine(.readOnly)
            defer { engine.close() }
            let eventStore = engine.store
            let event: RecordedEvent
            if let id, let uuid = UUID(text: id) {
                guard let found = try eventStore.event(id: uuid) else {
                    throw CLIError("--id: no event with id \(id.lowercased()) in \(store.data)")
                }
                event = found
            } else {
                let position = position ?? 0
                guard let found = try eventStore.event(at: position) else {
                    let head = try eventStore.head().position
                    throw CLIError(
                        head == 0
                            ? "POSITION: the log in \(store.data) is empty"
                            : "POSITION: the log in \(store.data) has positions 1 to \(head), not \(position)")
                }
                event = found
            }
            let line = EventLine.export(event, renderBinary: DomainCodec.json)
            say(json ? String(decoding: line, as: UTF8.self) : PrettyJSON.format(line))
        }
    }
}

func bytes(_ n: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(n)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(n) B" : "\((value * 10).rounded() / 10) \(units[unit])"
}
