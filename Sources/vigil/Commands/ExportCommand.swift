import ArgumentParser
import EventStore
import Glibc
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
        // A file is written under FILE.partial and renamed when complete: a failed export (a damaged
        // log stops it) never leaves a file that looks like a whole one.
        let partial = file == "-" ? file : file + ".partial"
        let out = try Output.create(partial)
        let last = to ?? .max
        var count = 0
        do {
            if let stream {
                guard try eventStore.streamHead(stream) != nil else {
                    throw CLIError("--stream: no stream named '\(stream)'")
                }
                var version: UInt64 = 1
                while true {
                    let events = try eventStore.readStream(stream, from: version, limit: 1_000, checking: .chain)
                    guard let tail = events.last else { break }
                    for event in events where event.position >= from && event.position <= last {
                        out.line(EventLine.export(event, renderBinary: DomainCodec.json))
                        count += 1
                    }
                    version = tail.version + 1
                }
            } else {
                try eventStore.scan(from: from, through: last, checking: .chain) { view in
                    out.line(EventLine.export(view.materialize(), renderBinary: DomainCodec.json))
                    count += 1
                }
            }
            try out.flush()
        } catch {
            if partial != file { unlink(partial) }
            if let damage = error as? EventStoreError {
                throw CLIError(
                    "\(damage.message); nothing was exported\(file == "-" ? " after the \(count) events written" : "")")
            }
            throw error
        }
        if partial != file {
            out.close()
            guard rename(partial, file) == 0 else {
                throw CLIError("cannot write \(file): \(String(cString: strerror(errno)))")
            }
        }
        printError("exported \(count) events")
    }
}
