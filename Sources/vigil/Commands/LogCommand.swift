import ArgumentParser
import EventStore
import VigilEngine

/// `vigil log stat` and `vigil log tail`.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Look at the log: statistics and the latest events.",
        subcommands: [Stat.self, Tail.self]
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
