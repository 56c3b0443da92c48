import ArgumentParser
import EventStore
import VigilEngine

/// `vigil export [--from N] [--to N] [--stream S] FILE|-`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored events as NDJSON with their envelope (position, version, recordedAt, hash).",
        discussion: "The output imports into an empty store with 'vigil import', every event the same."
    )

    @OptionGroup var store: DataOptions

    @Option(help: "The first position to export.")
    var from: UInt64 = 1

    @Option(help: "The last position to export.")
    var to: UInt64?

    @Option(help: "Only this stream's events.")
    var stream: String?

    @Argument(help: ArgumentHelp("Where to write, or - for standard output.", valueName: "FILE|-"))
    var file: String

    func validate() throws {
        guard from >= 1 else { throw ValidationError("--from: expected a position ≥ 1") }
        if let to, to < from { throw ValidationError("--to: expected a position ≥ --from (\(from)), got \(to)") }
    }

    func run() throws {
        let engine = try store.engine(.readOnly)
        let eventStore = engine.store
        let out = try Output.create(file)
        let last = to ?? .max
        var count = 0
        if let stream {
            guard try eventStore.streamHead(stream) != nil else {
                throw CLIError("--stream: no stream named '\(stream)'")
            }
            var version: UInt64 = 1
            while true {
                let events = try eventStore.readStream(stream, from: version, limit: 1_000)
                guard let tail = events.last else { break }
                for event in events where event.position >= from && event.position <= last {
                    out.line(EventLine.export(event, renderBinary: DomainCodec.json))
                    count += 1
                }
                version = tail.version + 1
            }
        } else {
            try eventStore.scan(from: from, through: last) { view in
                out.line(EventLine.export(view.materialize(), renderBinary: DomainCodec.json))
                count += 1
            }
        }
        try out.flush()
        printError("exported \(count) events")
    }
}
