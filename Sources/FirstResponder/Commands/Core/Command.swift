public import EventStore
public import Foundation

/// What every command carries besides its own fields: when it happened in the field and who did it.
/// Time enters here, at the edge; the command layer reads no clock.
public struct CommandEnvelope: Sendable, Equatable {
    /// When it happened in the field: the `occurredAt` of every event the command appends, and the
    /// instant dispatch decisions are made at.
    public var occurredAt: Timestamp
    /// Who did it: a staff reference (`user:dispatcher-7`, `system:timers`).
    public var actor: String
    /// The command's own id, when the caller gives one. It makes a retry idempotent: the events'
    /// ids are derived from it, and a command whose events are stored already returns them again.
    public var commandId: UUID?
    /// The workflow the command belongs to, recorded on its events.
    public var correlationId: UUID?

    /// An envelope.
    public init(occurredAt: Timestamp, actor: String, commandId: UUID? = nil, correlationId: UUID? = nil) {
        self.occurredAt = occurredAt
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId
    }
}

/// An action on the First Responder Protocol, as a value. ``CommandHandler/handle(_:)`` validates it
/// against the log and appends its events in one append, or rejects it with a
/// ``CommandRejection`` and writes nothing.
///
/// Every command also has a JSON form, `{"command": "<name>", "occurredAt": "…", "actor": "…",
/// …fields}`, read by ``CommandJSON`` and described by its schema (``CommandCatalog``).
public protocol Command: Sendable {
    /// The command's name in JSON, e.g. `assign-by-policy`.
    static var name: String { get }
    /// When and by whom.
    var envelope: CommandEnvelope { get }
}

extension Command {
    /// The command's name in JSON.
    public var name: String { Self.name }
}

/// A command the handler knows how to decide: it reads what it needs through the context (which
/// records the stream versions read) and returns the events to append, or throws a rejection.
protocol DecidingCommand: JSONCommand {
    func decide(_ context: CommandContext) throws -> Decision
}

/// A command with a JSON form: its schema is `schemas/commands/<name>.schema.json`, and its type,
/// decoding and encoding are generated from it (scripts/generate-commands).
protocol JSONCommand: Command {
    /// Reads the command's fields from its JSON object, the envelope read already; rejects a field
    /// the schema does not define.
    init(json object: JSONObject, envelope: CommandEnvelope) throws(DomainValidationError)
    /// Writes the command's JSON form, envelope included.
    func encodeJSON(into writer: inout JSONWriter)
    /// Checks the command built in Swift as decoding its JSON form checks it — the envelope, each
    /// field, the schema's if/then rules — with the same refusal, without the JSON form (the typed
    /// door of ``CommandHandler/prepare(_:)``).
    func validateSchema() throws(DomainValidationError)
    /// Every time the command carries with its JSON pointer, `/occurredAt` first (``CommandTimes``).
    var times: [(pointer: String, time: Timestamp)] { get }
    /// Writes the command's canonical JSON (``CommandDigest``).
    func writeCanonical(into writer: inout JSONWriter)
}

/// What a command decided: the events of its one append, in order.
struct Decision {
    /// An event to append, with its id when the domain derives it.
    struct Planned {
        var event: any DomainEvent
        var id: UUID?
    }

    /// The events.
    var events: [Planned] = []
    /// Work that must happen after every check passed and before the append, given the events as
    /// they will be appended (sealing destroys the youth's key first and records them as its intent;
    /// see ``SealRecord``).
    var beforeAppend: (@Sendable (AppendRequest) throws -> Void)?
    /// Work once the append is durable (sealing clears its intent).
    var afterAppend: (@Sendable () throws -> Void)?

    /// A decision with no events yet.
    init() {}

    /// A decision to append `event` alone.
    init(_ event: any DomainEvent) {
        append(event)
    }

    /// Appends `event`, with a derived id when the domain makes one.
    mutating func append(_ event: any DomainEvent, id: UUID? = nil) {
        events.append(Planned(event: event, id: id))
    }

    /// Appends every event of `events`.
    mutating func append(contentsOf events: [any DomainEvent]) {
        for event in events { append(event) }
    }
}
