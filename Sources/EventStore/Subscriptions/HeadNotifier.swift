import Synchronization

/// Tells waiters when a position moves past the one they have seen: the store's committed head
/// (the writer calls ``advance(to:)`` after each durable commit), or any other position that only
/// moves forward, such as the point a set of views has folded up to.
public final class HeadNotifier: Sendable {
    private struct Waiter {
        let id: UInt64
        let position: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var head: UInt64
        var closed = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>

    /// A notifier whose position is `head`.
    public init(head: UInt64) {
        state = Mutex(State(head: head))
    }

    /// The position now.
    public var position: UInt64 { state.withLock { $0.head } }

    /// Records a new position (ignored unless it moves forward) and wakes the waiters it satisfies.
    public func advance(to head: UInt64) {
        let ready = state.withLock { s -> [Waiter] in
            guard head > s.head else { return [] }
            s.head = head
            var ready: [Waiter] = []
            s.waiters.removeAll { w in
                if w.position < head {
                    ready.append(w)
                    return true
                }
                return false
            }
            return ready
        }
        for w in ready { w.continuation.resume(returning: true) }
    }

    /// Ends every wait: they return `false`.
    public func close() {
        let all = state.withLock { s -> [Waiter] in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in all { w.continuation.resume(returning: false) }
    }

    /// Waits until the position is beyond `position`. Returns `false` when the notifier closed or the
    /// task was cancelled.
    public func wait(beyond position: UInt64) async -> Bool {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { s -> Bool? in
                    if s.closed { return false }
                    if s.head > position { return true }
                    if Task.isCancelled { return false }
                    s.waiters.append(Waiter(id: id, position: position, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: i)
            }
            waiter?.continuation.resume(returning: false)
        }
    }
}
