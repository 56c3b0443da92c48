extension EventStore {
    /// Reads the log from `position` through `last` like ``scan(from:through:limit:checking:_:)``,
    /// and lets go of the log's resident pages after every `chunk` events
    /// (`Environment.releaseResidentPages()`): for a pass over the whole log (an audit, a benchmark)
    /// whose memory must not grow with the log. `reached` is told the last position of each chunk.
    public func scanReleasingPages(
        from position: UInt64 = 1, through last: UInt64, chunk: UInt64 = 65_536,
        reached: ((UInt64) -> Void)? = nil, _ body: (EventView) throws -> Void
    ) throws {
        var next = max(position, 1)
        while next <= last {
            let end = min(last, next + max(1, chunk) - 1)
            try scan(from: next, through: end, body)
            environment.releaseResidentPages()
            reached?(end)
            next = end + 1
        }
    }
}
