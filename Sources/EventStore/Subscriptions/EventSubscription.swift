/// A catch-up subscription: every event after a position, in position order, first from history and
/// then live as appends commit, with no gap and no duplicate.
///
/// It always reads from the log itself (a chunk per read transaction) and uses commit notifications
/// only as a wake-up, so the hand-over from history to live cannot lose or repeat an event however
/// appends race with it. A slow consumer holds at most one chunk in memory: the log is the buffer.
///
/// ```swift
/// for try await event in store.subscribe(after: checkpoint) {
///     try project(event)
/// }
/// ```
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: EventStore
    let after: UInt64
    let pollInterval: Duration?

    /// Returns an iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, position: after, pollInterval: pollInterval)
    }

    /// Pulls events one by one, reading a chunk at a time.
    public struct Iterator: AsyncIteratorProtocol {
        let store: EventStore
        /// The position of the last event delivered.
        public private(set) var position: UInt64
        let pollInterval: Duration?
        var buffer: [RecordedEvent] = []
        var index = 0

        init(store: EventStore, position: UInt64, pollInterval: Duration?) {
            self.store = store
            self.position = position
            self.pollInterval = pollInterval
        }

        /// The next event; `nil` when the task is cancelled or the store is closed.
        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    let event = buffer[index]
                    index += 1
                    position = event.position
                    return event
                }
                if Task.isCancelled { return nil }
                buffer = try store.read(from: position + 1, limit: Swift.max(1, store.options.readChunkSize))
                index = 0
                if !buffer.isEmpty { continue }
                if let pollInterval {
                    // Another process may be writing: poll the log.
                    do { try await Task.sleep(for: pollInterval) } catch { return nil }
                } else if !(await store.notifier.wait(beyond: position)) {
                    return nil
                }
            }
        }
    }
}

extension EventStore {
    /// Every event with a position greater than `position`, then live ones as they commit.
    ///
    /// - Parameter pollInterval: set it when another process writes the log (this process's commits
    ///   wake subscribers at once; another's are only seen by polling).
    public func subscribe(after position: UInt64, pollInterval: Duration? = nil) -> EventSubscription {
        EventSubscription(store: self, after: position, pollInterval: pollInterval)
    }
}
