public import EventStore
import Foundation

/// Handles commands: reads what each needs from the log, validates it — the envelope, the rules of
/// the command, the schema and rules of every event it would write, the case lifecycle — and then
/// appends all its events in **one** append, with an expected version on every stream it read.
///
/// Nothing is written unless everything passed, and a concurrent change to anything the command
/// read makes the append fail cleanly (``CommandRejection/Code/streamVersionConflict``); read again
/// and retry. The handler keeps no state but caches of what the log holds (the dispatch board, the
/// policy, the aggregates the rules read); several handlers (or processes) may share a store.
///
/// ``handle(_:)`` is ``prepare(_:)`` (read, validate, decide: nothing written) followed by
/// ``commit(_:)`` (the one append). The halves are public for previews (a dry run shows what a
/// command would write) and for tests that race two commands decided on the same state.
///
/// ```swift
/// let handler = CommandHandler(store: store, vault: vault)
/// let result = try await handler.handle(json: Array(#"{"command": "request-response", …}"#.utf8))
/// for event in result.events { print(event.type, event.stream, event.position) }
/// ```
public struct CommandHandler: Sendable {
    /// The store commands read and append to.
    public let store: EventStore
    /// The personal-data vault, for sealing (``SealRecord``).
    public let vault: PersonalDataVault?
    /// The dispatch board, kept current between commands.
    public let rosterCache: RosterViewCache
    /// The policy in force, kept current between commands.
    public let policyCache: PolicyViewCache
    /// The aggregates the rules read, kept current between commands.
    public let aggregates: AggregateCache
    /// The moment the log receives a command: the edge's clock (the wall clock in the daemon and the
    /// CLI, the virtual clock in a simulation). The domain reads no clock of its own.
    public let clock: @Sendable () -> Timestamp
    /// How far after the moment it is received a command's `occurredAt` may lie (a field device's
    /// clock running ahead), in seconds.
    public let clockSkewSeconds: Int64

    /// A handler receiving commands at `clock`'s time. Share `rosterCache`, `policyCache` and
    /// `aggregates` between handlers of the same store, or let each make its own.
    public init(
        store: EventStore, vault: PersonalDataVault? = nil, clock: @escaping @Sendable () -> Timestamp,
        clockSkewSeconds: Int64 = 300, rosterCache: RosterViewCache = RosterViewCache(),
        policyCache: PolicyViewCache = PolicyViewCache(), aggregates: AggregateCache = AggregateCache()
    ) {
        self.store = store
        self.vault = vault
        self.clock = clock
        self.clockSkewSeconds = clockSkewSeconds
        self.rosterCache = rosterCache
        self.policyCache = policyCache
        self.aggregates = aggregates
    }

    /// Handles `command`: its events appended, or a ``CommandRejection`` and nothing written. Other
    /// errors (`EventStoreError` from storage) mean the store failed, not the command.
    public func handle(_ command: any Command) async throws -> CommandResult {
        try await commit(try prepare(command))
    }

    /// The case `caseId` as the log holds it now (empty if never reported), from the aggregates the
    /// rules keep current: a client deciding its next command reads the case without folding its
    /// whole stream again.
    public func caseFile(_ caseId: CaseID) throws -> CaseFile {
        let log = LogState(store: store, cache: aggregates)
        defer { log.discard() }
        return try log.read(CaseFile.stream(caseId))
    }

    /// The county's reference data as the log holds it now.
    public func countyRegistry() throws -> CountyRegistry {
        let log = LogState(store: store, cache: aggregates)
        defer { log.discard() }
        return try log.county()
    }

    /// Loads a county's reference data (``CountyList/plan(against:envelope:)``): registers what the
    /// log lacks, renames what changed, each through its command. Returns the commands run.
    @discardableResult
    public func registerCounty(_ list: CountyList, envelope: CommandEnvelope) async throws -> Int {
        let commands = try list.plan(against: try countyRegistry(), envelope: envelope)
        for command in commands { _ = try await handle(command) }
        return commands.count
    }

    /// Reads and validates `command` and decides its events, writing nothing: what ``commit(_:)``
    /// would append, with the stream versions it read. A preview (a dry run) for a dispatcher, and
    /// the first half of ``handle(_:)``.
    ///
    /// A command built in Swift is checked against its schema as its JSON form would be — the same
    /// refusal, naming the same field — by its generated `validateSchema()`, without writing and
    /// reading that form.
    public func prepare(_ command: any Command) throws -> PreparedCommand {
        if let command = command as? any JSONCommand {
            do {
                try command.validateSchema()
            } catch {
                throw CommandRejection(json: error)
            }
        }
        return try prepare(checked: command)
    }

    /// ``prepare(_:)`` for a command decoded from its JSON form (``CommandRequest/decoded(body:name:actor:commandId:now:)``):
    /// decoding it checked it against its schema, so it is not checked again.
    public func prepare(_ decoded: DecodedCommand) throws -> PreparedCommand {
        try prepare(checked: decoded.command)
    }

    /// ``prepare(_:)`` for a command known to satisfy its schema.
    private func prepare(checked command: any Command) throws -> PreparedCommand {
        guard let deciding = command as? any DecidingCommand else {
            throw CommandRejection(.unknownCommand, "\(command.name) is not a command this handler knows")
        }
        let envelope = command.envelope
        guard SchemaPatterns.personRef.matches(envelope.actor) else {
            throw CommandRejection(
                .invalidCommand, "actor must be a staff reference such as user:dispatcher-7", field: "/actor")
        }
        try CommandTimes.check(command)
        let digest = envelope.commandId.map { _ in CommandDigest.digest(command) }
        if let commandId = envelope.commandId, let digest,
            let replay = try replay(commandId, name: command.name, digest: digest)
        {
            return PreparedCommand(name: command.name, replay: replay)
        }
        let log = LogState(store: store, cache: aggregates)
        let context = CommandContext(
            store: store, envelope: envelope, vault: vault, rosterCache: rosterCache, policyCache: policyCache,
            log: log)
        let decision: Decision
        let events: [NewEvent]
        do {
            decision = try deciding.decide(context)
            events = try prepare(decision, name: command.name, digest: digest, context: context)
        } catch let violation as RuleViolation {
            // Met while reading what to decide on (a stream that does not decode).
            log.discard()
            throw CommandRejection(violation)
        } catch {
            log.discard()
            throw error
        }
        // Every stream read, at the version first read: what the board was read at and what the rules read.
        let expectations = context.expectations.merging(log.expectations) { first, _ in first }
        return PreparedCommand(
            name: command.name, planned: decision.events.map(\.event), newEvents: events,
            expectations: expectations, beforeAppend: decision.beforeAppend, afterAppend: decision.afterAppend,
            admitted: log.drain())
    }

    /// Appends a prepared command's events in one append, expecting every stream it read at the
    /// version it read. If anything it read changed since ``prepare(_:)``, nothing is written and
    /// the rejection is ``CommandRejection/Code/streamVersionConflict``.
    public func commit(_ prepared: PreparedCommand) async throws -> CommandResult {
        if let replay = prepared.replay { return replay }
        guard !prepared.newEvents.isEmpty else {
            return CommandResult(command: prepared.name, events: [], alreadyStored: false)
        }
        // The caches fold what is appended as appended, the next command reads it nowhere; folded on
        // the committing thread, in log order (concurrent commands sharing a commit resume in any order).
        let rosterCache = self.rosterCache
        let policyCache = self.policyCache
        let planned = prepared.events
        let newEvents = prepared.newEvents
        let request = AppendRequest(events: newEvents, expectations: prepared.expectations) { result in
            guard !result.alreadyStored else { return }
            let appended = zip(result.events, zip(planned, newEvents)).map { stored, event in
                HandlerAppend(
                    event: event.0, stream: stored.stream, version: stored.version, position: stored.position,
                    occurredAt: event.1.occurredAt)
            }
            rosterCache.fold(appended: appended)
            policyCache.fold(appended: appended)
        }
        try prepared.beforeAppend?(request)
        let result: AppendResult
        do {
            result = try await store.append(request)
        } catch let error as EventStoreError {
            throw try CommandRejection(append: error)
        }
        aggregates.put(prepared.admitted)
        try prepared.afterAppend?()
        let appended = zip(result.events, prepared.events).map { stored, event in
            CommandResult.Appended(
                type: event.eventType, stream: stored.stream, position: stored.position, version: stored.version,
                id: stored.id, event: event)
        }
        return CommandResult(command: prepared.name, events: appended, alreadyStored: result.alreadyStored)
    }

    /// Decodes a JSON command (``CommandJSON``) and handles it. A malformed command is rejected with
    /// ``CommandRejection/Code/invalidCommand`` (or ``CommandRejection/Code/unknownCommand``) and the
    /// JSON pointer of the offending field.
    public func handle(json: [UInt8]) async throws -> CommandResult {
        let command: any Command
        do {
            command = try CommandJSON.decode(json)
        } catch {
            throw CommandRejection(json: error)
        }
        return try await commit(try prepare(checked: command))
    }

    // MARK: - Steps

    /// Validates every event — its schema, then the one rule set against the log and the events
    /// before it (``DomainRules``) — and builds the events to append.
    private func prepare(_ decision: Decision, name: String, digest: String?, context: CommandContext) throws
        -> [NewEvent]
    {
        let envelope = context.envelope
        let receivedAt = clock()
        var metadata = JSONWriter()
        metadata.beginObject()
        metadata.field("command", name)
        // Stored with the result, so a later command under the same commandId can be told apart.
        if let digest { metadata.field("commandDigest", digest) }
        metadata.endObject()
        var events: [NewEvent] = []
        for (index, planned) in decision.events.enumerated() {
            let event = planned.event
            do {
                try event.validate(occurredAt: envelope.occurredAt)
            } catch {
                throw CommandRejection(event: event, error)
            }
            do {
                try DomainRules.admit(
                    event, occurredAt: envelope.occurredAt, receivedAt: receivedAt, clockSkewSeconds: clockSkewSeconds,
                    context.log)
            } catch let violation as RuleViolation {
                // Decided on a board that has moved since (a stream read twice, at two versions): a
                // conflict to retry, not a rule the command broke.
                if let stream = context.log.readVersions.first(where: { stream, version in
                    context.expectations[stream].map { $0 != .exactly(version) } ?? false
                })?.key {
                    throw CommandRejection(
                        .streamVersionConflict,
                        "\(stream) changed while the command was decided (\(violation.rule.name)); nothing was "
                            + "written: read again and retry", cause: violation)
                }
                throw CommandRejection(event: event, violation)
            }
            let id = planned.id ?? envelope.commandId.map { DeterministicID.commandEvent($0, index) }
            // Every event in the catalog's binary form, timer events too: the timer index reads either
            // form, and every fold decoded JSON timer events (a quarter of a county's log) several
            // times slower.
            events.append(
                event.newEvent(
                    occurredAt: envelope.occurredAt, actor: envelope.actor, id: id,
                    correlationId: envelope.correlationId, causationId: envelope.commandId, metadata: metadata.bytes,
                    encoding: .binary))
        }
        return events
    }

    /// The events of a command handled before under `commandId`, if any. The same `commandId` on a
    /// different command (another name, or another digest of its canonical JSON) is refused: answering
    /// it with the first command's events would drop it.
    private func replay(_ commandId: UUID, name: String, digest: String) throws -> CommandResult? {
        var events: [CommandResult.Appended] = []
        // The form its events were stored in: the first whose event 0 the log holds (both looked up
        // in one read: a new command finds neither).
        let forms = DeterministicID.commandEventForms(commandId)
        guard
            let found = try store.firstEvent(
                ids: forms.map { DeterministicID.commandEvent(commandId, 0, legacy: $0) })
        else { return nil }
        let legacy = forms[found.offset]
        var next: RecordedEvent? = found.event
        while let stored = next {
            if events.isEmpty {
                let (storedName, storedDigest) = Self.commandMetadata(stored.metadata)
                if let storedName, storedName != name {
                    throw CommandRejection(
                        .duplicateCommand,
                        "commandId \(commandId.lowercaseText) was used before by a \(storedName) command "
                            + "(its events start at position \(stored.position)); this \(name) command is a different "
                            + "command and needs a new commandId; nothing was written",
                        field: "/commandId")
                }
                if let storedDigest, storedDigest != digest {
                    throw CommandRejection(
                        .duplicateCommand,
                        "commandId \(commandId.lowercaseText) was used before by a different \(name) "
                            + "command (its events start at position \(stored.position), command digest "
                            + "\(storedDigest.prefix(16))…; this one's is \(digest.prefix(16))…): a retry must send the "
                            + "same command, and a new command needs a new commandId; nothing was written",
                        field: "/commandId")
                }
            }
            events.append(
                CommandResult.Appended(
                    type: stored.type, stream: stored.stream, position: stored.position, version: stored.version,
                    id: stored.id, event: try? EventCatalog.decode(stored)))
            next = try store.event(id: DeterministicID.commandEvent(commandId, events.count, legacy: legacy))
        }
        return events.isEmpty ? nil : CommandResult(command: name, events: events, alreadyStored: true)
    }

    /// The command name and digest recorded in an event's metadata.
    private static func commandMetadata(_ metadata: [UInt8]) -> (name: String?, digest: String?) {
        guard !metadata.isEmpty, let object = (try? JSONValue(parsing: metadata))?.objectValue else {
            return (nil, nil)
        }
        return (object["command"]?.stringValue, object["commandDigest"]?.stringValue)
    }
}

extension CommandRejection {
    /// A JSON decoding failure as a rejection.
    init(json error: DomainValidationError) {
        let code: Code = error.code == .unknownType ? .unknownCommand : .invalidCommand
        self.init(code, error.message, field: error.pointer, cause: error)
    }

    /// A rule of the log the event broke, its code the rule's name, at the pointer of the command
    /// field of the same name (`/data/requestId` → `/requestId`).
    init(event: any DomainEvent, _ violation: RuleViolation) {
        self.init(
            Code(violation.rule.name), "\(event.eventType): \(violation.message)", field: Self.field(violation),
            cause: violation)
    }

    /// A rule of the log met while reading.
    init(_ violation: RuleViolation) {
        self.init(Code(violation.rule.name), violation.message, field: Self.field(violation), cause: violation)
    }

    private static func field(_ violation: RuleViolation) -> String {
        violation.pointer.hasPrefix("/data") ? String(violation.pointer.dropFirst(5)) : violation.pointer
    }

    /// An event's schema or rule violation, at the pointer of the command field of the same name
    /// (`/data/overrideReason` → `/overrideReason`).
    init(event: any DomainEvent, _ error: DomainValidationError) {
        let pointer = error.pointer.hasPrefix("/data") ? String(error.pointer.dropFirst(5)) : error.pointer
        self.init(.invalidCommand, "\(event.eventType): \(error.message)", field: pointer, cause: error)
    }

    /// A failed append as a rejection (a stream changed since it was read), or the error itself.
    init(append error: EventStoreError) throws {
        switch error.code {
        case .wrongExpectedVersion:
            self.init(
                .streamVersionConflict,
                "a stream this command read was changed by another command before its append (\(error.message)); "
                    + "nothing was written: read again and retry",
                cause: error)
        case .idempotencyConflict:
            self.init(
                .duplicateCommand, "some of the command's event ids are stored already: \(error.message)",
                field: "/commandId", cause: error)
        case .invalidEvent:
            self.init(.invalidCommand, error.message, cause: error)
        default:
            throw error
        }
    }
}
