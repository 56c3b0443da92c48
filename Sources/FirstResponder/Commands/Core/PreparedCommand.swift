public import EventStore

/// A command read, validated and decided, not yet appended (``CommandHandler/prepare(_:)``): the
/// events its one append will write and the stream versions it expects.
public struct PreparedCommand: Sendable {
    /// The command's name.
    public let name: String
    /// The events, in append order.
    public let events: [any DomainEvent]
    /// The expected version of every stream the command read or writes.
    public let expectations: [String: ExpectedVersion]
    /// The command was handled before (same command id): committing returns this, writing nothing.
    let replay: CommandResult?
    /// The events as the store takes them.
    let newEvents: [NewEvent]
    /// Work between the checks and the append (sealing's vault step), given the append.
    let beforeAppend: (@Sendable (AppendRequest) throws -> Void)?
    /// Work after the append (sealing's intent cleared).
    let afterAppend: (@Sendable () throws -> Void)?
    /// The aggregates the command read and admitted its events into: cached once the append is durable.
    let admitted: [String: any Aggregate]

    init(
        name: String, planned: [any DomainEvent], newEvents: [NewEvent], expectations: [String: ExpectedVersion],
        beforeAppend: (@Sendable (AppendRequest) throws -> Void)?, afterAppend: (@Sendable () throws -> Void)? = nil,
        admitted: [String: any Aggregate]
    ) {
        self.name = name
        self.events = planned
        self.newEvents = newEvents
        self.expectations = expectations
        self.beforeAppend = beforeAppend
        self.admitted = admitted
        self.afterAppend = afterAppend
        self.replay = nil
    }

    init(name: String, replay: CommandResult) {
        self.name = name
        self.events = replay.events.compactMap(\.event)
        self.newEvents = []
        self.expectations = [:]
        self.beforeAppend = nil
        self.admitted = [:]
        self.afterAppend = nil
        self.replay = replay
    }

    /// The event types in order.
    public var types: [String] { events.map(\.eventType) }
}
