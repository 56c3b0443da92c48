import LMDB

extension EventStore {
    /// Reads the log from `position` through `last` like ``scan(from:through:limit:checking:_:)``,
    /// `chunk` events a read transaction, for a pass over the whole log (an audit, a rebuild, a
    /// benchmark) whose memory must not grow with the log, nor hold what the process read before
    /// it: it lets go of the store's resident pages before it starts, and every
    /// ``PageBudget/standard`` pages of records read (and after each chunk) asks whether the
    /// process's file-backed resident set grew by 32 MiB since the last release, and lets go if so
    /// (`Environment.releaseResidentPagesIfGrown()`). A log's pages lie scattered through its file —
    /// the more so the longer it is, as LMDB reuses freed pages — and the kernel maps a block of
    /// neighbours with each: counted in events, a chunk of 16,384 mapped 27 MiB of a 1M-event log's
    /// file and 78 MiB of a 5M one's. Pages the pass reads at random meanwhile (an audit reading a
    /// case back, a view's row loaded again) count in the same resident set and go with the log's.
    /// `reached` is told the last position of each chunk.
    public func scanReleasingPages(
        from position: UInt64 = 1, through last: UInt64, chunk: UInt64 = 16_384,
        reached: ((UInt64) -> Void)? = nil, _ body: (EventView) throws -> Void
    ) throws {
        var next = max(position, 1)
        environment.releaseResidentPages()
        while next <= last {
            let end = min(last, next + max(1, chunk) - 1)
            try scan(
                from: next, through: end, limit: .max, checking: .structure,
                releasing: PageBudget(pages: PageBudget.standard), body)
            environment.releaseResidentPagesIfGrown()
            reached?(end)
            next = end + 1
        }
    }
}
