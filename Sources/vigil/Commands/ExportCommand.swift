import ArgumentParser
import EventStore
import Glibc
import VigilEngine

/// `vigil export [--from N] [--to N] [--stream S] FILE|-`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored events as NDJSON with their envelope (position, version, recordedAt, hash).",
        discussion: """
            The output restores into an empty store with 'vigil import --raw', every event the same: each \
            at its original position with its original recordedAt, and the same chain head. (Plain \
            'vigil import' appends new events; it does not take export lines.)
            """
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
        // A file is written whole or not at all (Output.whole): a damaged log stops the export, and no
        // file that looks like a whole one is left.
        let last = to ?? .max
        var count = 0
        do {
            try Output.whole(file) { out in
                if let stream {
                    guard let head = try eventStore.streamHead(stream) else {
                        throw CLIError("--stream: no stream named '\(stream)'")
                    }
                    let progress = Progress("export", total: head.version, unit: .events)
                    defer { progress.finish() }
                    var version: UInt64 = 1
                    while true {
                        let events = try eventStore.readStream(stream, from: version, limit: 1_000, checking: .chain)
                        guard let tail = events.last else { break }
                        for event in events where event.position >= from && event.position <= last {
                            out.line(EventLine.export(event, renderBinary: DomainCodec.json))
                            count += 1
                        }
                        version = tail.version + 1
                        progress.update(tail.version)
                    }
                } else {
                    let through = min(last, try eventStore.head().position)
                    let progress = Progress("export", total: through >= from ? through - from + 1 : 0, unit: .events)
                    defer { progress.finish() }
                    try eventStore.scan(from: from, through: last, checking: .chain) { view in
                        out.line(EventLine.export(view.materialize(), renderBinary: DomainCodec.json))
                        count += 1
                        if count & 1023 == 0 { progress.update(UInt64(count)) }
                    }
                }
            }
        } catch let damage as EventStoreError {
            throw CLIError(
                "\(damage.message); nothing was exported\(file == "-" ? " after the \(count) events written" : "")")
        }
        printError("exported \(count) events")
    }
}
