extension EventStore {
    /// Waits until this process commits an append past `position`: a wake-up for readers that
    /// follow the log (read what is there, then wait). Returns `false` when the store closed or the
    /// task was cancelled; it never reads anything itself.
    public func waitForCommit(beyond position: UInt64) async -> Bool {
        await notifier.wait(beyond: position)
    }
}
