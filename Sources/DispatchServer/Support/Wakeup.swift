import ServiceLifecycle

/// How a live stream waits between reads: until something moves, for at most a while, and never
/// past the daemon's graceful shutdown.
enum Wakeup {
    /// Waits for `wake` to return, for at most `timeout`; `false` on timeout, cancellation or the
    /// daemon's graceful shutdown (then the stream ends and its client reconnects to the next daemon).
    static func first(timeout: Duration, _ wake: @escaping @Sendable () async -> Bool) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await wake() }
            group.addTask {
                try? await gracefulShutdown()
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
