public import LMDB

extension EventStore {
    /// Reads the log from `position` through `last` like ``scan(from:through:limit:checking:_:)``,
    /// and lets go of the store's resident pages (`Environment.releaseResidentPages()`) before it
    /// starts, whenever the records read have moved onto `pages` pages, and after every `chunk`
    /// events: for a pass over the whole log (an audit, a rebuild, a benchmark) whose
    /// memory must not grow with the log — nor hold what the process read before it. A log's pages
    /// lie scattered through its file, the more so the longer it is (LMDB reuses freed pages), and
    /// the kernel maps a block of neighbours with each: counted in events, a chunk of 16,384 mapped
    /// 27 MiB of a 1M-event log's file and 78 MiB of a 5M one's; counted in pages it maps the same
    /// at any length. Pages the pass reads at random (an audit reading back a case's stream, a view
    /// row loaded again) are let go with the log's. `reached` is told the last position of each chunk.
    public func scanReleasingPages(
        from position: UInt64 = 1, through last: UInt64, chunk: UInt64 = 16_384, pages: Int = PageBudget.standard,
        reached: ((UInt64) -> Void)? = nil, _ body: (EventView) throws -> Void
    ) throws {
        var next = max(position, 1)
        environment.releaseResidentPages()
        while next <= last {
            let end = min(last, next + max(1, chunk) - 1)
            try scan(
                from: next, through: end, limit: .max, checking: .structure,
                releasing: PageBudget(pages: pages), body)
            environment.releaseResidentPages()
            reached?(end)
            next = end + 1
        }
    }
}
