extension EventStore {
    /// Waits until this process commits an append past `position`: a wake-up for readers that
    /// follow the log (read what is there, then wait). Returns `false` when the store closed or the
    /// task was cancelled; it never reads anything itself.
    public func waitForCommit(beyond position: UInt64) async -> Bool {
        await notifier.wait(beyond: position)
    }
}

extension EventStore {
    /// Reads the head and wakes those waiting for it: for a store open read-only beside the process
    /// that writes it (a replica that `vigil follow` appends to), whose commits this process is
    /// never told of. Returns the head's position.
    @discardableResult
    public func observeHead() throws -> UInt64 {
        let position = try head().position
        notifier.advance(to: position)
        return position
    }
}
