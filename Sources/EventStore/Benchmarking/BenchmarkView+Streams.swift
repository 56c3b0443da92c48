extension BenchmarkView {
    /// Reads every stream of a benchmark store whole — `stream-0` up to `stream-(count-1)`, as
    /// ``SyntheticWorkload`` names them — each from version 1 to its head through
    /// ``EventStore/scanStream(_:from:direction:limit:checking:_:)``, as a command handler loads an
    /// aggregate, and folds each stream into its own row (`vigil bench streams`, the callgrind harness).
    /// Throws when a stream's versions are not dense.
    public static func readEveryStream(of store: EventStore, streams count: Int) throws -> Totals {
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for s in 0..<count {
            var row = Row()
            let name = "stream-\(s)"
            try store.scanStream(name) { event in
                do {
                    try row.fold(version: event.version, payloadBytes: event.payloadBytes.count)
                } catch {
                    throw EventStoreError(.corrupted, "stream '\(name)': \(error)")
                }
            }
            rows.append(row)
        }
        return Totals(rows)
    }
}
