public import EventStore
import LMDB

extension Fold {
    /// Folds `kinds` from the first position through `last` into databases that start empty — a
    /// rebuild's shadows, an as-of's scratch — `batchSize` events at a time on `lanes`, a partitioned
    /// projection in parts (``batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``);
    /// returns each kind's target, in order, and how many times a lane took targets from another.
    ///
    /// `clear` empties a kind's database and names it. After each batch, `write` runs one write
    /// transaction in which a lane's changed rows are written, and `afterFlush` runs — both on the
    /// pass's writer thread; once they are committed, each table keeps at most its share of
    /// `cacheLimit` rows. Should the parts meet an event they would fold
    /// differently from one fold (``PartsDisagree``), every database is cleared and the log folded
    /// again whole.
    static func intoEmpty(
        _ store: EventStore, _ kinds: [any Projection.Type], through last: UInt64, batchSize: UInt64, lanes: Int,
        cacheLimit: Int, environment: Environment, clear: (any Projection.Type) throws -> Database,
        write: ((borrowing Transaction) throws -> Void) throws -> Void, afterFlush: () -> Void = {},
        tuning: PassTuning = PassTuning(), progress: ((UInt64, UInt64) -> Void)?
    ) throws -> (targets: [FoldTarget], handOvers: Int) {
        func fold(parts: Bool) throws -> (targets: [FoldTarget], handOvers: Int) {
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
            let handOvers = try batches(
                store, &targets, through: last, batchSize: batchSize, lanes: lanes, parts: parts,
                cacheLimit: cacheLimit, tuning: tuning,
                write: { batch in
                    try write { txn in
                        for rows in batch { try RowFlush.write(rows.rows, to: databases[rows.kind.name]!, txn) }
                    }
                    afterFlush()
                }, progress: progress)
            return (targets, handOvers)
        }
        do {
            return try fold(parts: true)
        } catch is PartsDisagree {
            // A log whose events the parts would fold differently: folded whole instead.
            return try fold(parts: false)
        }
    }
}
