import Dispatch
import Synchronization

/// The one writer. Appenders queue; a serial queue drains everything queued into one write
/// transaction and one fsync, then answers every caller. Each drain runs start to finish on one OS
/// thread (one block of a serial `DispatchQueue`), so LMDB's write lock never crosses threads, and
/// no transaction ever spans an `await`.
///
/// While a commit is on its way to disk, new appends pile up and go together in the next one: the
/// busier the store, the bigger the batches (group commit).
final class GroupCommitWriter: Sendable {
    typealias Commit = @Sendable ([PreparedAppend]) -> [Result<AppendResult, EventStoreError>]

    private struct Pending {
        let append: PreparedAppend
        let continuation: CheckedContinuation<AppendResult, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        var draining = false
        var closed = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "vigil.event-store.writer", qos: .userInitiated)
    private let maxEventsPerCommit: Int

    init(maxEventsPerCommit: Int) {
        self.maxEventsPerCommit = max(1, maxEventsPerCommit)
    }

    /// Queues `append` and returns once it is durable (or failed).
    func submit(_ append: PreparedAppend, commit: @escaping Commit) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            let action = state.withLock { s -> Bool? in
                if s.closed { return nil }
                s.pending.append(Pending(append: append, continuation: continuation))
                if s.draining { return false }
                s.draining = true
                return true
            }
            switch action {
            case nil: continuation.resume(throwing: EventStoreError(.closed, "the event store is closed"))
            case true?: queue.async { self.drain(commit) }
            case false?: break
            }
        }
    }

    /// Refuses new appends; those already queued are still committed.
    func close() {
        state.withLock { $0.closed = true }
        queue.sync {}
    }

    private func drain(_ commit: Commit) {
        while true {
            let batch = state.withLock { s -> [Pending] in
                if s.pending.isEmpty {
                    s.draining = false
                    return []
                }
                var events = 0
                var take = 0
                for p in s.pending {
                    if take > 0 && events + p.append.request.events.count > maxEventsPerCommit { break }
                    events += p.append.request.events.count
                    take += 1
                }
                let batch = Array(s.pending.prefix(take))
                s.pending.removeFirst(take)
                return batch
            }
            if batch.isEmpty { return }
            let results = commit(batch.map(\.append))
            for (pending, result) in zip(batch, results) {
                pending.continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
    }
}
