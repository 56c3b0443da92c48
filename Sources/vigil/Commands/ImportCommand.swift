import ArgumentParser
import EventStore
import Foundation

/// `vigil import [--ack] FILE|-`: appends NDJSON events.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append events from NDJSON, one event per line.",
        discussion: """
            Each line: {"stream": "...", "type": "...", "id": "<uuid, optional>", \
            "expectedVersion": <int|"any"|"noStream"|"exists", optional>, "occurredAt": "<RFC 3339>", \
            "actor": "...", "data": {...}}. Lines are committed in batches, each atomically: a bad line \
            is reported with its line number and nothing of its batch is written (earlier batches stay). \
            Lines exported by 'vigil export' import too; their 'version' becomes the expected version.
            """
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "After each durable commit, print {\"id\",\"position\",\"stream\",\"version\"} per event and flush.")
    var ack = false

    @Flag(
        help: ArgumentHelp(
            "Restore an export exactly (position, recordedAt, id and hash on every line).",
            discussion:
                "Each event lands at its original position with its original recordedAt, and its chain hash must come out the same. Envelope, ids and chain are checked; domain rules are not. For backups, migrations and tests of the store itself."
        ))
    var raw = false

    @Option(help: "Lines per committed batch.")
    var batch = 1_000

    @Argument(help: ArgumentHelp("The NDJSON file, or - for standard input.", valueName: "FILE|-"))
    var file: String

    func validate() throws {
        guard batch >= 1 && batch <= 100_000 else {
            throw ValidationError("--batch: expected 1 to 100000, got \(batch)")
        }
    }

    func run() async throws {
        let reader = try LineReader(path: file)
        let eventStore = try store.openForWriting()
        defer { eventStore.close() }
        let out = Output.standard()
        var pending: [NewEvent] = []
        var lines: [Int] = []
        var lineNumber = 0
        var imported = 0
        var alreadyStored = 0
        var first: UInt64?
        var last: UInt64 = 0

        func commit() async throws {
            guard !pending.isEmpty else { return }
            let result: AppendResult
            do {
                result =
                    raw
                    ? try await eventStore.restore(pending)
                    : try await eventStore.append(AppendRequest(events: pending))
            } catch let error as EventStoreError {
                let at = error.eventIndex.map { "line \(lines[$0])" } ?? "lines \(lines[0])–\(lines[lines.count - 1])"
                var message = error.message
                if let index = error.eventIndex {
                    message = message.replacingOccurrences(of: "events[\(index)]: ", with: "")
                        .replacingOccurrences(of: "events[\(index)].", with: "field ")
                }
                throw CLIError(
                    "\(at): \(message); nothing of lines \(lines[0])–\(lines[lines.count - 1]) was written\(summary())"
                )
            }
            if ack {
                for event in result.events { out.line(EventLine.acknowledgement(event)) }
                try out.flush()
            }
            if result.alreadyStored { alreadyStored += result.events.count } else { imported += result.events.count }
            if let p = result.events.first?.position, !result.alreadyStored { first = first ?? p }
            if !result.alreadyStored { last = max(last, result.lastPosition) }
            pending.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }

        func summary() -> String {
            imported + alreadyStored == 0 ? "" : " (\(imported) events imported before it)"
        }

        while let line = reader.next() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            do {
                let parsed = try EventLine.parse(line)
                var event = parsed.event
                event.expectedVersion = parsed.expectedVersion
                if raw {
                    guard let exported = parsed.exported, let position = exported.position,
                        let recordedAt = exported.recordedAt, event.id != nil
                    else {
                        throw EventLine.Invalid(
                            field: "position",
                            message: "--raw needs export lines: position, recordedAt and id are required")
                    }
                    event.restore = NewEvent.Restore(position: position, recordedAt: recordedAt, hash: exported.hash)
                }
                pending.append(event)
                lines.append(lineNumber)
            } catch {
                throw CLIError("line \(lineNumber): \(error); nothing of its batch was written\(summary())")
            }
            if pending.count >= batch { try await commit() }
        }
        try await commit()
        var message = "imported \(imported) events"
        if let first { message += " at positions \(first)–\(last)" }
        if alreadyStored > 0 {
            message += "; \(alreadyStored) were already stored (same ids) and were not written again"
        }
        printError(message)
    }
}
