public import EventStore

/// The door every imported domain event comes in by: ``admit(_:receivedAt:)`` checks one
/// import line's event against the one rule set — the same aggregate rules commands are held to —
/// against the log as it stands plus the lines admitted before it in the batch, and remembers every
/// stream it read. Append the batch with ``expectations``, then call ``committed()``; if the append
/// fails, ``discard()``.
///
/// ```swift
/// let admission = Admission(store: store)
/// for line in batch { try admission.admit(try EventCatalog.checkLine(line), receivedAt: now) }
/// _ = try await store.append(AppendRequest(events: events, expectations: admission.expectations))
/// admission.committed()
/// ```
///
/// Reading is incremental: aggregates stay cached between batches and each batch folds only what
/// was appended since, so checking a line costs about the same whatever the log's size.
public final class Admission {
    private let store: EventStore
    private let cache: AggregateCache
    /// How far after the moment the log receives it a fact's time may lie (a field device's clock
    /// running ahead), in seconds.
    public let clockSkewSeconds: Int64
    private var state: LogState

    /// Admission to `store`, sharing `cache` with other writers of the same store in this process.
    public init(store: EventStore, cache: AggregateCache = AggregateCache(), clockSkewSeconds: Int64 = 300) {
        self.store = store
        self.cache = cache
        self.clockSkewSeconds = clockSkewSeconds
        self.state = LogState(store: store, cache: cache)
    }

    /// Checks the event of `line` as received by the log at `receivedAt` (an export line: at its
    /// original `recordedAt` and position), and admits it into the batch. A refused line leaves the
    /// batch as it was.
    ///
    /// Returns `false`, admitting nothing, when the line's id is stored already: a retry of a batch
    /// that was written, which the store answers with the original positions — or refuses, if the
    /// stored event differs.
    @discardableResult
    public func admit(_ line: CheckedLine, receivedAt: Timestamp) throws(RuleViolation) -> Bool {
        do {
            if let id = line.line.id, try store.event(id: id) != nil { return false }
            try DomainRules.admit(
                line.line.validated.current, occurredAt: line.line.occurredAt,
                receivedAt: line.restore?.recordedAt ?? receivedAt, clockSkewSeconds: clockSkewSeconds,
                position: line.restore?.position, state)
            if let restore = line.restore, let hash = restore.hash {
                state.note(chainHash: hash, at: restore.position)
            }
            return true
        } catch let violation as RuleViolation {
            throw violation
        } catch {
            throw RuleViolation(.undecodableEvent, at: "", "the log could not be read: \(error)")
        }
    }

    /// The expected version of every stream the batch read: append the batch with them.
    public var expectations: [String: ExpectedVersion] { state.expectations }

    /// The batch's append is durable: its aggregates go to the cache, and a new batch begins.
    public func committed() {
        cache.put(state.drain())
        state = LogState(store: store, cache: cache)
    }

    /// The batch was not appended: a new batch begins from the log as it stands.
    public func discard() {
        state.discard()
        state = LogState(store: store, cache: cache)
    }
}
