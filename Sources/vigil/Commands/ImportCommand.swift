import ArgumentParser
import EventStore
import FirstResponder
import Foundation
import VigilEngine

/// `vigil import [--ack] FILE|-`: appends NDJSON events.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append events from NDJSON, one event per line, checked against the event catalog.",
        discussion: """
            Each line: {"stream": "...", "type": "...", "id": "<uuid, optional>", \
            "expectedVersion": <int|"any"|"noStream"|"exists", optional>, "schemaVersion": <int, optional>, \
            "occurredAt": "<RFC 3339>", "actor": "...", "data": {...}}. The type must be in the catalog \
            ('vigil schemas list'); data is checked against its schema, and the stream against the type's \
            naming rule. Then every event passes the same rules as a command's, against the log as it \
            stands with the lines before it: the case lifecycle, the arrest, the operation, the training \
            session, the responder, the roster, and the order of times (no time after the moment the log \
            receives it, beyond --clock-skew). Lines written by 'vigil export' are checked the same way \
            and restored exactly (same positions, recordedAt and hashes) into a store that ends just \
            before them. Lines are committed in batches, each atomically: a refused line is reported with \
            its line number, the field and the rule, and nothing of its batch is written; earlier batches \
            stay (re-running the file skips the lines already stored, by their ids).
            """
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "After each durable commit, print {\"id\",\"position\",\"stream\",\"version\"} per event and flush.")
    var ack = false

    @Flag(
        help: ArgumentHelp(
            "Store-level import: check envelope, ids and chain, not the domain rules.",
            discussion:
                "Export lines (with position, recordedAt and hash) are restored exactly: each event lands at its original position with its original recordedAt, and its chain hash must come out the same. Lines without them are appended unchecked, any type. For backups, migrations and tests of the store itself."
        ))
    var raw = false

    @Option(help: "Lines per committed batch.")
    var batch = 1_000

    @Option(
        help: ArgumentHelp(
            "How far a line's times may lie after the moment the log receives it (a device clock running ahead).",
            valueName: "SECONDS"))
    var clockSkew: Int64 = 300

    @Argument(help: ArgumentHelp("The NDJSON file, or - for standard input.", valueName: "FILE|-"))
    var file: String

    func validate() throws {
        guard batch >= 1 && batch <= 100_000 else {
            throw ValidationError("--batch: expected 1 to 100000, got \(batch)")
        }
        guard (0...86_400).contains(clockSkew) else {
            throw ValidationError("--clock-skew: expected 0 to 86400 seconds, got \(clockSkew)")
        }
    }

    func run() async throws {
        let reader = try LineReader(path: file)
        let engine = try store.engine(Engine.Options(clockSkewSeconds: clockSkew))
        let eventStore = engine.store
        // The domain path's door: the same rules as commands, sharing the engine's cached aggregates.
        let admission =
            raw
            ? nil : Admission(store: eventStore, cache: engine.commands.aggregates, clockSkewSeconds: clockSkew)
        defer { eventStore.close() }
        let out = Output.standard()
        let progress = Progress(raw ? "import --raw" : "import", total: reader.size, unit: .bytes)
        defer { progress.finish() }
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
            let restoring = pending.contains { $0.restore != nil }
            if restoring, let plain = pending.firstIndex(where: { $0.restore == nil }) {
                throw CLIError(
                    "line \(lines[plain]): a batch restoring export lines cannot also append plain ones (position, recordedAt and hash missing); nothing of lines \(lines[0])–\(lines[lines.count - 1]) was written\(summary())"
                )
            }
            do {
                result =
                    restoring
                    ? try await eventStore.restore(pending)
                    : try await eventStore.append(
                        AppendRequest(events: pending, expectations: admission?.expectations ?? [:]))
                admission?.committed()
            } catch let error as EventStoreError {
                admission?.discard()
                let at = error.eventIndex.map { "line \(lines[$0])" } ?? "lines \(lines[0])–\(lines[lines.count - 1])"
                var message = error.message
                if let index = error.eventIndex {
                    message = message.replacingOccurrences(of: "events[\(index)]: ", with: "")
                        .replacingOccurrences(of: "events[\(index)].", with: "field ")
                }
                // Other events the message names are lines of this batch too.
                for (index, line) in lines.enumerated().reversed() {
                    message = message.replacingOccurrences(of: "events[\(index)]", with: "line \(line)")
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
            progress.update(reader.bytesRead, events: UInt64(imported + alreadyStored))
        }

        func summary() -> String {
            if imported + alreadyStored == 0 { return "" }
            if alreadyStored == 0 { return " (\(imported) events imported before it)" }
            return " (\(imported) events imported before it; \(alreadyStored) were stored already)"
        }

        while let line = reader.next() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            do {
                if let admission {
                    let checked = try EventCatalog.checkLine(Array(line))
                    try admission.admit(checked, receivedAt: Timestamp.now())
                    pending.append(checked.newEvent)
                } else {
                    pending.append(try Self.rawEvent(line))
                }
                lines.append(lineNumber)
            } catch {
                throw CLIError("line \(lineNumber): \(error); nothing of its batch was written\(summary())")
            }
            if pending.count >= batch { try await commit() }
        }
        try await commit()
        progress.finish()
        var message = "imported \(imported) events"
        if let first { message += " at positions \(first)–\(last)" }
        if alreadyStored > 0 {
            message += "; \(alreadyStored) were already stored (same ids) and were not written again"
        }
        printError(message)
    }

    /// A store-level event: an export line to restore exactly, or a plain line appended unchecked.
    static func rawEvent(_ line: UnsafeRawBufferPointer) throws -> NewEvent {
        let parsed = try EventLine.parse(line)
        var event = parsed.event
        event.expectedVersion = parsed.expectedVersion
        if parsed.dataNeedsDomainEncoding {
            event.payload = try DomainCodec.binary(
                type: event.type, schemaVersion: event.schemaVersion, json: event.payload)
        }
        if let exported = parsed.exported, let position = exported.position {
            guard let recordedAt = exported.recordedAt, event.id != nil else {
                throw EventLine.Invalid(
                    field: "recordedAt", message: "an export line to restore needs its recordedAt and id")
            }
            event.expectedVersion = nil
            event.restore = NewEvent.Restore(position: position, recordedAt: recordedAt, hash: exported.hash)
        }
        return event
    }
}
