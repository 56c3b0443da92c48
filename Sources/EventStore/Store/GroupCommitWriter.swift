import Dispatch
import Glibc
import Synchronization

/// The one writer. Appenders queue; a serial queue drains everything queued into one write
/// transaction and one fsync, then answers every caller. Each drain runs start to finish on one OS
/// thread (one block of a serial `DispatchQueue`), so LMDB's write lock never crosses threads, and
/// no transaction ever spans an `await`.
///
/// While a commit is on its way to disk, new appends pile up and go together in the next one: the
/// busier the store, the bigger the batches (group commit).
///
/// When commits do not wait for the disk (`commitsInCaller`: an environment without fsync, such as a
/// simulation filling a new store), an append that finds the writer idle and nothing queued is
/// committed on the caller's own thread, start to finish, and never suspends: no hand-off to the
/// writer's thread and back for a lone appender. Appends that arrive meanwhile queue as usual and the
/// writer's thread takes them. With fsync the hop stays: a caller's thread (one of Swift's few
/// cooperative threads) must not block on the disk.
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
    private let commitsInCaller: Bool

    init(maxEventsPerCommit: Int, commitsInCaller: Bool = false) {
        self.maxEventsPerCommit = max(1, maxEventsPerCommit)
        self.commitsInCaller = commitsInCaller
    }

    /// Queues `append` and returns once it is durable (or failed).
    func submit(_ append: PreparedAppend, commit: @escaping Commit) async throws -> AppendResult {
        if commitsInCaller, let result = commitInCaller(append, commit) { return try result.get() }
        return try await withCheckedThrowingContinuation { continuation in
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

    /// Commits `append` on this thread when the writer is idle with nothing queued; `nil` otherwise
    /// (or when closed), and the append goes the usual way.
    private func commitInCaller(_ append: PreparedAppend, _ commit: @escaping Commit) -> Result<
        AppendResult, EventStoreError
    >? {
        let idle = state.withLock { s -> Bool in
            guard !s.closed && !s.draining && s.pending.isEmpty else { return false }
            s.draining = true
            return true
        }
        guard idle else { return nil }
        let result = commit([append])[0]
        let queued = state.withLock { s -> Bool in
            if s.pending.isEmpty { s.draining = false }
            return !s.pending.isEmpty
        }
        // Appends that queued while this one committed: the writer's thread takes them.
        if queued { queue.async { self.drain(commit) } }
        return result
    }

    /// Refuses new appends; those already queued (or committing on a caller's thread) are still
    /// committed before it returns.
    func close() {
        state.withLock { $0.closed = true }
        while true {
            queue.sync {}
            if !state.withLock({ $0.draining }) { return }
            // A caller is committing on its own thread, or has just handed the queue to the writer.
            usleep(200)
        }
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
