public import EventStore
import LMDB

extension Fold {
    /// Folds `kinds` from the first position through `last` into databases that start empty — a
    /// rebuild's shadows, an as-of's scratch — `batchSize` events at a time on `lanes`, a partitioned
    /// projection in parts (``batches(_:_:through:batchSize:lanes:parts:flush:progress:)``); returns
    /// each kind's target, in order.
    ///
    /// `clear` empties a kind's database and names it. After each batch, `write` runs one write
    /// transaction in which a lane's changed rows are written, then each table keeps at most its share
    /// of `cacheLimit` rows, and `afterFlush` runs. Should the parts meet an event they would fold
    /// differently from one fold (``PartsDisagree``), every database is cleared and the log folded
    /// again whole.
    static func intoEmpty(
        _ store: EventStore, _ kinds: [any Projection.Type], through last: UInt64, batchSize: UInt64, lanes: Int,
        cacheLimit: Int, environment: Environment, clear: (any Projection.Type) throws -> Database,
        write: ((borrowing Transaction) throws -> Void) throws -> Void, afterFlush: () -> Void = {},
        progress: ((UInt64, UInt64) -> Void)?
    ) throws -> [FoldTarget] {
        func fold(parts: Bool) throws -> [FoldTarget] {
            var databases: [String: Database] = [:]
            var targets: [FoldTarget] = []
            for kind in kinds {
                let database = try clear(kind)
                databases[kind.name] = database
                targets.append(
                    FoldTarget(
                        empty: kind,
                        backend: StoredBackend(environment: environment, database: database, startsEmpty: true)
                    ))
            }
            try batches(
                store, &targets, through: last, batchSize: batchSize, lanes: lanes, parts: parts,
                flush: { targets in
                    try write { txn in
                        for target in targets {
                            try RowFlush.write(target.projection, to: databases[type(of: target.projection).name]!, txn)
                        }
                    }
                    for target in targets {
                        RowFlush.stored(target.projection, cacheLimit: target.cacheLimit(cacheLimit))
                    }
                    afterFlush()
                }, progress: progress)
            return targets
        }
        do {
            return try fold(parts: true)
        } catch is PartsDisagree {
            // A log whose events the parts would fold differently: folded whole instead.
            return try fold(parts: false)
        }
    }
}
