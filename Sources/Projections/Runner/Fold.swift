public import EventStore
import FirstResponder
import Foundation

/// A projection being folded, with the position it has folded through.
public struct FoldTarget {
    /// The projection.
    public let projection: any Projection
    /// The last position folded into it.
    public internal(set) var checkpoint: UInt64
    /// Events it skipped: of a type it folds that did not decode, or of a type not in the catalog.
    public internal(set) var skipped: UInt64
    /// Whether it was folded in parts (``Partitioning``): then ``projection`` is one part's, and
    /// holds only that part's rows and state (the rows are all stored; read them from there).
    public internal(set) var foldedInParts = false
    /// The part of the projection's rows this target folds, when it is one of several.
    var part: Part?
    /// Makes another empty instance over the same rows, for a part; `nil` when it cannot be folded in
    /// parts.
    let makePart: (() -> any Projection)?

    /// One part of a partitioned projection: which, of how many.
    struct Part {
        let index: Int
        let count: Int
        let partitioning: Partitioning
    }

    /// A target that has folded through `checkpoint`.
    public init(_ projection: any Projection, checkpoint: UInt64 = 0, skipped: UInt64 = 0) {
        self.projection = projection
        self.checkpoint = checkpoint
        self.skipped = skipped
        makePart = nil
    }

    /// An empty `kind` over `backend` (a shadow or a scratch that starts empty), which a rebuild may
    /// fold in parts when `kind` has a ``Projection/partitioning``.
    init(empty kind: any Projection.Type, backend: any RowBackend) {
        projection = kind.init(backend: backend)
        checkpoint = 0
        skipped = 0
        makePart = kind.partitioning == nil ? nil : { kind.init(backend: backend) }
    }

    /// The share of `limit` cached rows each of its tables may keep: the parts of a projection share
    /// one limit, so folding in parts holds no more rows than folding whole.
    func cacheLimit(_ limit: Int) -> Int { max(1, limit / (part?.count ?? 1)) }
}

/// The one scan every fold goes through: the log read once, each event's type read from its record
/// and the event decoded once — only when a target folds its type (``Projection/folds(_:)``) and has
/// not folded it yet — and handed to those targets, on one thread.
public enum Fold {
    /// The lanes a rebuild or an as-of folds on by default: one per processor available.
    public static let defaultLanes = ProcessInfo.processInfo.activeProcessorCount

    /// Events a lane folds in one read pass over the log (a slice) within a batch
    /// (``batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``). Within and after each slice the
    /// lane lets go of the pages mapped — the log's, and the views' it reads back — once they have
    /// grown (``EventStore/scanReleasingPages(from:through:chunk:reached:_:)``): what a batch of
    /// 131,072 events touched grew with the views (a rebuild of a county simulated at 5M events
    /// mapped 456 MiB of the file at its peak, 229 MiB at 1M).
    static let releaseEvery: UInt64 = 16_384

    /// Folds the events after the lowest checkpoint through `last` into `targets`; returns the
    /// number of events read. With `releasingPagesEvery`, the log is read that many events a
    /// transaction, letting go of the pages mapped (the log's, and the views' read back) once they
    /// have grown (``EventStore/scanReleasingPages(from:through:chunk:reached:_:)``).
    @discardableResult
    public static func run(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, releasingPagesEvery: UInt64? = nil
    ) throws -> Int {
        try run(store, &targets, through: last, releasingPagesEvery: releasingPagesEvery, sharing: nil)
    }

    /// ``run(_:_:through:releasingPagesEvery:)``, reading the log through `sharing`'s scan as its
    /// lane when given (``EventStore/SharedLogScan``), not with a scan of its own.
    static func run(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, releasingPagesEvery: UInt64?,
        sharing: (scan: SharedLogScan, lane: Int)?
    ) throws -> Int {
        guard let lowest = targets.map(\.checkpoint).min(), lowest < last else { return 0 }
        // Which targets fold each type, decided once per run: a row per type, a flag per target.
        let kinds = targets.map { type(of: $0.projection) }
        let folding = CatalogEvent.Kind.allCases.map { kind in kinds.map { $0.folds(kind) } }
        // And which fold it from its case and envelope alone (``Projection/foldsWithoutPayload(_:)``).
        let withoutPayload = CatalogEvent.Kind.allCases.map { kind in
            kinds.map { $0.folds(kind) && $0.foldsWithoutPayload(kind) }
        }
        let everyTarget = [Bool](repeating: true, count: targets.count)
        // Read and written per event through buffers, put back at the end: a nested function's captured
        // variables cost an exclusivity check at every access, a buffer's elements none.
        let projections = targets.map(\.projection)
        let checkpoints = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: targets.count)
        let skipped = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: targets.count)
        _ = checkpoints.initialize(from: targets.map(\.checkpoint))
        _ = skipped.initialize(from: targets.map(\.skipped))
        // The parts: each partitioning's key streams hashed once per event (`nil`: not a key's stream).
        var found: [Partitioning] = []
        let parts = targets.map { target -> (partitioning: Int, index: Int, count: Int)? in
            guard let part = target.part else { return nil }
            if let at = found.firstIndex(where: { $0.streamPrefix == part.partitioning.streamPrefix }) {
                return (at, part.index, part.count)
            }
            found.append(part.partitioning)
            return (found.count - 1, part.index, part.count)
        }
        let partitionings = found
        let count = targets.count
        let streamKeys = UnsafeMutableBufferPointer<UInt64?>.allocate(capacity: max(1, partitionings.count))
        streamKeys.initialize(repeating: nil)
        let read = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        read.initialize(to: 0)
        defer {
            for i in targets.indices {
                targets[i].checkpoint = checkpoints[i]
                targets[i].skipped = skipped[i]
            }
            for buffer in [checkpoints, skipped] { buffer.deallocate() }
            streamKeys.deallocate()
            read.deallocate()
        }
        /// Whether target `i` takes an event by its stream: not a part, or the part of the stream's key.
        func ours(_ i: Int) -> Bool {
            guard let part = parts[i], let hash = streamKeys[part.partitioning] else { return true }
            return Int(hash % UInt64(part.count)) == part.index
        }
        // Each partitioning's stream prefix and key reader, apart: copying a `Partitioning` out of an
        // array for every event retained both.
        let prefixes = partitionings.map(\.streamPrefix)
        let keys = partitionings.map(\.key)
        /// Whether target `i`, a part or not, folds an event naming `key` in a stream whose key its
        /// partitioning read (``streamKeys``); throws ``PartsDisagree`` when the two differ.
        func takes(_ i: Int, key: String?, _ view: EventView) throws -> Bool {
            guard let part = parts[i] else { return true }
            if streamKeys[part.partitioning] != nil {
                // Every other part passed the event over by its stream: it must name the stream's key.
                guard let key,
                    let stream = Partitioning.key(ofStream: view.streamBytes, prefix: prefixes[part.partitioning]),
                    Partitioning.same(key, stream)
                else {
                    throw PartsDisagree(
                        position: view.position, stream: String(decoding: view.streamBytes, as: UTF8.self), key: key)
                }
                return true
            }
            guard let key else { return true }
            return Int(Partitioning.hash(key.utf8) % UInt64(part.count)) == part.index
        }
        func visit(_ view: EventView) throws {
            read.pointee += 1
            let position = view.position
            let kind = CatalogEvent.kind(of: view)
            // A type not in the catalog is skipped by every target, as any target might have folded it.
            let folds = kind.map { folding[Int($0.rawValue)] } ?? everyTarget
            for p in prefixes.indices {
                streamKeys[p] = Partitioning.key(ofStream: view.streamBytes, prefix: prefixes[p]).map {
                    Partitioning.hash($0)
                }
            }
            let light = kind.map { withoutPayload[Int($0.rawValue)] }
            var wanted = false
            var payloadRead = false
            for i in 0..<count where folds[i] && checkpoints[i] < position && ours(i) {
                wanted = true
                if light?[i] != true {
                    payloadRead = true
                    break
                }
            }
            // Folded from its case and envelope by every target that takes it: only the case id is read.
            if wanted, !payloadRead, let kind, let caseId = CatalogEvent.leadingCaseId(of: view, kind: kind) {
                let envelope = EventEnvelope(view)
                for i in 0..<count where checkpoints[i] < position {
                    checkpoints[i] = position
                    guard folds[i], ours(i), try takes(i, key: caseId.rawValue, view) else { continue }
                    try projections[i].apply(kind, caseId: caseId, envelope)
                }
                return
            }
            // An event no target folds is not decoded; one that does not decode is skipped by those that fold it.
            guard wanted, let kind, let event = try? CatalogEvent(view, kind: kind) else {
                for i in 0..<count where checkpoints[i] < position {
                    checkpoints[i] = position
                    guard folds[i], ours(i) else { continue }
                    // Counted once: by the part of the key's stream, or by the first part.
                    if let part = parts[i], streamKeys[part.partitioning] == nil, part.index != 0 { continue }
                    skipped[i] += 1
                }
                return
            }
            let envelope = EventEnvelope(view)
            for i in 0..<count where checkpoints[i] < position {
                checkpoints[i] = position
                guard folds[i], ours(i) else { continue }
                if let part = parts[i], try !takes(i, key: keys[part.partitioning](event), view) { continue }
                try projections[i].apply(event, envelope)
            }
        }
        if let sharing {
            try sharing.scan.scan(lane: sharing.lane, from: lowest + 1, through: last, visit)
        } else if let chunk = releasingPagesEvery {
            try store.scanReleasingPages(from: lowest + 1, through: last, chunk: chunk, visit)
        } else {
            try store.scan(from: lowest + 1, through: last, visit)
        }
        return read.pointee
    }
}

extension Fold {
    /// What ``run(_:_:through:releasingPagesEvery:)`` throws when a projection folded in parts meets an
    /// event its parts would fold differently from one fold: in one key's stream, it names another
    /// key or none (``Partitioning``). Folding it whole again gives the rows one fold gives.
    public struct PartsDisagree: Error, CustomStringConvertible {
        /// The event's position.
        public let position: UInt64
        /// Its stream.
        public let stream: String
        /// The key it names, if any.
        public let key: String?

        public var description: String {
            "the event at position \(position) is in stream \(stream) but names \(key.map { "key \($0)" } ?? "no key")"
        }
    }

    /// Parts a partitioned projection is folded in, per lane: more parts than lanes let the lanes
    /// share the work evenly beside the projections folded whole.
    static let partsPerLane = 2

    /// Folds `targets` from their checkpoints through `last`, `batchSize` events at a time; after each
    /// batch a lane encodes its targets' changed rows and hands them to `write`, which stores them in
    /// one write transaction on a writer thread of the pass's own while the lane folds on. A lane
    /// forgets the clean rows of a table caching more than its share of `cacheLimit` only once the
    /// rows it encoded are committed (a row forgotten is read back from the database), and encodes
    /// its next batch only then: at most one batch of a lane is being written. The pages read are let
    /// go every ``releaseEvery`` events and after each write — the pass holds a slice's pages, not
    /// the log's. `progress` is told (lowest position written, `last`) after each write.
    ///
    /// Measured on a county of 1M events, two lanes: a batch's write (encoding, puts, commit and
    /// sync) was about 40% of a lane's time, and the two lanes' writes waited for each other on the
    /// environment's one writer lock — a processor idle meanwhile.
    ///
    /// With `lanes` above 1 the targets are split into that many lanes of about equal work
    /// (``lanes(_:_:through:count:)``), each folded by a thread of its own, reading the log through
    /// one ``EventStore/SharedLogScan`` and decoding only what its targets fold; each target is still
    /// folded by one thread, every event in log order — its rows are the same whatever the lanes.
    /// `write` is called on the writer thread, one call at a time, and `progress` one call at a time.
    ///
    /// With `parts` too, an empty target whose projection has a ``Projection/partitioning`` (and was
    /// made with ``FoldTarget/init(empty:backend:)``) is folded as ``partsPerLane`` × `lanes` parts,
    /// each a target of its own in some lane, writing its own keys' rows into the same database; the
    /// parts come back as one target marked ``FoldTarget/foldedInParts``. Should the log hold an
    /// event the parts would fold differently, this throws ``PartsDisagree``: clear what was written
    /// and fold again without parts.
    @discardableResult
    static func batches(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, batchSize: UInt64, lanes: Int,
        parts: Bool = true, cacheLimit: Int, tuning: PassTuning = PassTuning(), write: ([EncodedBatch]) throws -> Void,
        progress: ((UInt64, UInt64) -> Void)?
    ) throws -> Int {
        // Each target, or each part of one: the index of the target it folds for.
        var units: [(target: Int, fold: FoldTarget)] = []
        for (index, target) in targets.enumerated() {
            guard parts, lanes > 1, target.checkpoint == 0, let makePart = target.makePart,
                let partitioning = type(of: target.projection).partitioning
            else {
                units.append((index, target))
                continue
            }
            let count = lanes * partsPerLane
            for part in 0..<count {
                var unit = FoldTarget(part == 0 ? target.projection : makePart())
                unit.part = FoldTarget.Part(index: part, count: count, partitioning: partitioning)
                units.append((index, unit))
            }
        }
        var folds = units.map(\.fold)
        // Weighed only for several lanes (to split them, and to hand targets over): on one, the sample
        // of the log would be read for nothing.
        let weights =
            lanes > 1 ? try Self.weights(store, folds, through: last) : [Int](repeating: 0, count: folds.count)
        let groups = Self.lanes(weights: weights, count: lanes)
        let handOvers = try withoutActuallyEscaping(write) { write in
            try withoutActuallyEscaping(progress ?? { _, _ in }) { progress in
                let pass = LanePass(
                    store: store, lanes: groups.map { $0.map { ($0, folds[$0], weights[$0]) } }, through: last,
                    batchSize: batchSize, cacheLimit: cacheLimit, tuning: tuning, write: write, progress: progress)
                // Every lane on a thread of its own, the first on this one: Dispatch's
                // `concurrentPerform` ran them one after another when its threads were busy.
                for lane in groups.indices.dropFirst() {
                    let thread = Thread { pass.run(lane) }
                    thread.name = "vigil-fold-lane"
                    thread.start()
                }
                pass.run(0)
                pass.awaitLanes()
                // Returns once every lane is done and the writer has stopped: the closures never
                // outlive this call.
                pass.stopWriter()
                if let failure = pass.failure { throw failure }
                let units = pass.units
                for unit in units { folds[unit.id] = unit.fold }
                // Every target handed back once, folded to the end: checked, as targets move between lanes.
                if units.count != folds.count || Set(units.map(\.id)).count != folds.count
                    || folds.contains(where: { $0.checkpoint < last })
                {
                    throw ProjectionError(
                        .incomplete,
                        "a pass over the log through position \(last) did not hand back every view folded that far")
                }
                return pass.handOvers
            }
        }
        // The parts of a target come back as one: folded as far as its slowest part, every part's skips.
        for index in targets.indices {
            let mine = units.indices.filter { units[$0].target == index }.map { folds[$0] }
            var merged = mine[0]
            merged.checkpoint = mine.map(\.checkpoint).min()!
            merged.skipped = mine.reduce(0) { $0 + $1.skipped }
            merged.foldedInParts = mine.count > 1
            merged.part = nil
            targets[index] = merged
        }
        return handOvers
    }

    /// Splits `targets` into at most `count` lanes of about equal work by their ``weights(_:_:through:)``:
    /// the heaviest goes first into the lightest lane. Returns each lane's target indices in target
    /// order; no lane is empty, and one lane holds every target when `count` is 1.
    public static func lanes(_ store: EventStore, _ targets: [FoldTarget], through last: UInt64, count: Int) throws
        -> [[Int]]
    {
        guard count > 1, targets.count > 1 else { return [Array(targets.indices)] }
        return lanes(weights: try weights(store, targets, through: last), count: count)
    }

    /// ``lanes(_:_:through:count:)`` for targets of these weights.
    static func lanes(weights: [Int], count: Int) -> [[Int]] {
        guard count > 1, weights.count > 1 else { return [Array(weights.indices)] }
        var lanes = [[Int]](repeating: [], count: min(count, weights.count))
        var load = [Int](repeating: 0, count: lanes.count)
        for index in weights.indices.sorted(by: { (weights[$0], $1) > (weights[$1], $0) }) {
            let lightest = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            lanes[lightest].append(index)
            load[lightest] += weights[index]
        }
        return lanes.filter { !$0.isEmpty }.map { $0.sorted() }
    }

    /// What folding each target costs, roughly: the events of a sample of the log (four evenly spread
    /// windows of at most 16,384 events between the lowest checkpoint and `last`) whose types it
    /// folds — a part of a projection, its share of them. All 0 when there is nothing to fold.
    static func weights(_ store: EventStore, _ targets: [FoldTarget], through last: UInt64) throws -> [Int] {
        guard let lowest = targets.map(\.checkpoint).min(), lowest < last else {
            return [Int](repeating: 0, count: targets.count)
        }
        var seen = [Int](repeating: 0, count: CatalogEvent.Kind.allCases.count)
        let span = last - lowest
        let window = max(1, min(16_384, span / 4))
        for part in 0..<UInt64(4) {
            let first = lowest + 1 + part * (span / 4)
            try store.scan(from: first, through: min(last, first + window - 1)) { view in
                if let kind = CatalogEvent.kind(of: view) { seen[Int(kind.rawValue)] += 1 }
            }
        }
        return targets.map { target in
            CatalogEvent.Kind.allCases.reduce(0) { sum, kind in
                type(of: target.projection).folds(kind) ? sum + seen[Int(kind.rawValue)] : sum
            } / (target.part?.count ?? 1)
        }
    }

    /// Which of a lane's targets, of these weights, to hand to a lane that has none left: the
    /// heaviest first while they weigh at most half the lane's total, so the two lanes are left about
    /// even. Never all of them, nor one that weighs nothing; none when every target alone weighs
    /// more than half (a target is never split).
    static func handOver(weights: [Int]) -> [Int] {
        let half = weights.reduce(0, +) / 2
        var given: [Int] = []
        var weight = 0
        for index in weights.indices.sorted(by: { (weights[$0], $1) > (weights[$1], $0) })
        where weights[index] > 0 && weight + weights[index] <= half && given.count + 1 < weights.count {
            given.append(index)
            weight += weights[index]
        }
        return given.sorted()
    }
}

/// A projection's rows changed in one batch, encoded by its lane for the pass's writer thread
/// (``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``).
struct EncodedBatch {
    /// The projection whose database the rows go to.
    let kind: any Projection.Type
    /// Its changed rows, in key order.
    let rows: RowFlush.EncodedRows
}

/// How a pass over the log divides its work (``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``):
/// the defaults are the rebuild's; tests make the slices small so that a short log is handed over
/// between lanes as a long one is.
struct PassTuning {
    /// Events a lane folds between two looks at whether to hand targets over (and whether its last
    /// write is committed): the shared scan's slice, and how often the pages read are let go.
    var sliceSize: UInt64 = Fold.releaseEvery
    /// A lane hands targets over only when at least this many slices are left to fold.
    var handOverSlices: UInt64 = 4
    /// Called by a lane after each slice, with its index and a way to ask whether another lane is
    /// waiting for targets from it (tests hold a lane back until one is).
    var afterSlice: (@Sendable (_ lane: Int, _ asked: () -> Bool) -> Void)?
}

/// One ``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``: its
/// lanes, each folded by ``run(_:)`` on a thread of its own, and the writer thread that stores the
/// rows their batches changed, one write transaction per batch, in the order they are handed over.
///
/// A lane that has folded all its targets takes some from the lane with the most left to fold
/// (``Fold/handOver(weights:)``): that lane hands them over after its next slice, as they stand —
/// folded through the slice, their rows changed since its last batch not yet encoded — and the two
/// fold on from there, the taker reading the same slices again through the shared scan. Measured on
/// a county of 1M events, two lanes: the lane sharing its processor with the log's reader finished
/// 130–160 ms after the other.
///
/// A table forgets its clean rows only once the batch that last encoded them is committed (a row
/// forgotten is read back from the database): each target knows that batch, and the writer how far
/// it has committed.
private final class LanePass: @unchecked Sendable {
    // @unchecked: a lane's targets (their projections, and their folds' positions) are touched only
    // by the thread running it, or under `condition` while it hands them over; a lane's list of
    // targets changes only under `condition`. Everything else — the lanes' positions and
    // hand-overs, the writer's queue and progress, `failure` and the calls to `progress` — is under
    // `condition`.

    /// A target and its place among the pass's: what `batches` reads back at the end.
    struct Unit {
        let id: Int
        var fold: FoldTarget
        let weight: Int
        /// The batch that last encoded its rows (0: none), and the last after which it forgot rows.
        var encodedIn = 0
        var forgotAfter = 0
    }

    final class Lane {
        /// The targets it folds, and those it has folded to the end.
        var units: [Unit]
        var finished: [Unit] = []
        /// Every unit has folded through this.
        var reached: UInt64
        /// Its position within a batch, after each slice.
        var at: UInt64
        /// A batch handed to the writer and not committed yet: a lane has one at most.
        var writing = false
        /// Whether its thread has begun, and whether it has returned.
        var started = false
        var done = false
        /// A lane waiting for units from this one.
        var taker: Int?
        /// For a lane waiting for units: whether it got some (`nil` while it waits).
        var taken: Bool?

        init(_ units: [Unit], last: UInt64) {
            self.units = units
            reached = units.map(\.fold.checkpoint).min() ?? last
            at = reached
        }
    }

    /// A batch for the writer: its rows, whose units and lane, and the position they were folded through.
    struct Job {
        let number: Int
        let lane: Int
        let units: [Int]
        let through: UInt64
        let batch: [EncodedBatch]
    }

    let store: EventStore
    let lanes: [Lane]
    let last: UInt64
    let step: UInt64
    let cacheLimit: Int
    let tuning: PassTuning
    /// The caller's closures, let go by ``stopWriter()``: the writer thread may hold the pass a
    /// moment longer than it runs, the closures not.
    var write: (([EncodedBatch]) throws -> Void)?
    var progress: ((UInt64, UInt64) -> Void)?
    let condition = NSCondition()
    var failure: (any Error)?
    /// Times a lane took units from another.
    var handOvers = 0
    var jobs: [Job] = []
    /// The last batch handed to the writer, and the last it committed (they are numbered from 1).
    var handed = 0
    var committed = 0
    /// Per unit: the position through which its rows are committed.
    var written: [UInt64]
    var writerStopping = false
    var writerStopped = false
    /// The log's one read for every lane, when there are several.
    let shared: SharedLogScan?

    init(
        store: EventStore, lanes: [[(id: Int, fold: FoldTarget, weight: Int)]], through last: UInt64,
        batchSize: UInt64, cacheLimit: Int, tuning: PassTuning, write: @escaping ([EncodedBatch]) throws -> Void,
        progress: @escaping (UInt64, UInt64) -> Void
    ) {
        self.store = store
        self.lanes = lanes.map { Lane($0.map { Unit(id: $0.id, fold: $0.fold, weight: $0.weight) }, last: last) }
        self.last = last
        step = max(1, batchSize)
        self.cacheLimit = cacheLimit
        self.tuning = tuning
        self.write = write
        self.progress = progress
        let units = lanes.flatMap { $0 }
        written = [UInt64](repeating: last, count: (units.map(\.id).max() ?? -1) + 1)
        for unit in units { written[unit.id] = unit.fold.checkpoint }
        // Eight slices ahead of the lane behind at most. A lane no longer stops for its batch's
        // write, which kept the lanes a batch apart (16 slices were kept); measured on the 1M county,
        // 16 and 8 ran at the same speed (0.99×, 8 pairs), 8 with 35 MiB less.
        let slice = max(1, tuning.sliceSize)
        shared =
            lanes.count > 1
            ? SharedLogScan(
                store, through: last, lanesFrom: self.lanes.map { $0.reached + 1 }, sliceSize: slice, capacity: 8)
            : nil
        // Not kept: the thread holds the pass until ``stopWriter()``, and no longer.
        let writer = Thread { [self] in writeBatches() }
        writer.name = "vigil-view-writer"
        writer.start()
    }

    /// Every unit, wherever it ended: read once every lane has returned.
    var units: [Unit] { lanes.flatMap { $0.units + $0.finished } }

    /// Folds lane `index`'s units to the end, then takes units from another lane and folds those,
    /// until there are none worth taking; then waits for its last batch to be committed. Stops at
    /// the first failure of any lane or of the writer.
    func run(_ index: Int) {
        let lane = lanes[index]
        condition.withLock { lane.started = true }
        defer {
            shared?.finish(lane: index)
            condition.withLock {
                lane.done = true
                // A lane waiting for units from this one gets none.
                if let taker = lane.taker { lanes[taker].taken = false }
                lane.taker = nil
                condition.broadcast()
            }
        }
        do {
            repeat {
                guard try fold(index) else { return }
            } while take(index)
            _ = awaitWritten(lane)
        } catch {
            fail(error)
        }
    }

    /// Folds lane `index`'s units to the end, a batch at a time, each slice of the log
    /// (``PassTuning/sliceSize`` events) a ``Fold/run(_:_:through:releasingPagesEvery:)`` of its own,
    /// so the lane's tables forget their clean rows soon after the writer has committed them and a
    /// lane waiting for units is answered within a slice; then moves them to its finished units,
    /// their last batch handed to the writer. `false` when the pass failed.
    private func fold(_ index: Int) throws -> Bool {
        let lane = lanes[index]
        let slice = max(1, tuning.sliceSize)
        while lane.reached < last {
            let end = min(last, lane.reached + step)
            var at = lane.reached
            while at < end {
                let through = min(end, (at / slice + 1) * slice)
                var targets = lane.units.map(\.fold)
                // The pages read are let go every slice: what the fold maps (the log's pages, and
                // the views' pages it reads back) stays a slice's worth, however big the views grow.
                try Fold.run(
                    store, &targets, through: through, releasingPagesEvery: slice,
                    sharing: shared.map { ($0, index) })
                at = through
                if let afterSlice = tuning.afterSlice { afterSlice(index) { condition.withLock { lane.taker != nil } } }
                let (failed, committed) = condition.withLock {
                    for i in targets.indices { lane.units[i].fold = targets[i] }
                    lane.at = at
                    if let taker = lane.taker { handOver(from: index, to: taker, at: at) }
                    return (failure != nil, self.committed)
                }
                if failed { return false }
                forget(lane, committed: committed)
            }
            // One batch of a lane in the writer's hands at most: what waits to be written is bounded.
            guard awaitWritten(lane) else { return false }
            forget(lane, committed: condition.withLock { committed })
            let batch = try lane.units.map { unit in
                EncodedBatch(kind: type(of: unit.fold.projection), rows: try RowFlush.encode(unit.fold.projection))
            }
            for unit in lane.units {
                for table in unit.fold.projection.tables { table.markClean() }
            }
            lane.reached = end
            condition.withLock {
                handed += 1
                for i in lane.units.indices { lane.units[i].encodedIn = handed }
                lane.writing = true
                jobs.append(Job(number: handed, lane: index, units: lane.units.map(\.id), through: end, batch: batch))
                condition.broadcast()
            }
        }
        condition.withLock {
            lane.finished += lane.units
            lane.units = []
            // A lane that asked after this one's last slice gets nothing: there is nothing left to fold.
            if let taker = lane.taker {
                lanes[taker].taken = false
                lane.taker = nil
                condition.broadcast()
            }
        }
        return true
    }

    /// Lane `index`, done with its units, takes some from the running lane with the most slices left
    /// (at least ``PassTuning/handOverSlices``) and no other lane waiting on it, and waits for them;
    /// `false` when there is none, or it handed over nothing.
    private func take(_ index: Int) -> Bool {
        condition.withLock {
            let lane = lanes[index]
            let slice = max(1, tuning.sliceSize)
            let candidates = lanes.indices.filter {
                $0 != index && lanes[$0].started && !lanes[$0].done && lanes[$0].taker == nil
                    && lanes[$0].units.count > 1 && last - lanes[$0].at >= tuning.handOverSlices * slice
            }
            guard failure == nil, let from = candidates.min(by: { lanes[$0].at < lanes[$1].at }) else { return false }
            lane.taken = nil
            lanes[from].taker = index
            while lane.taken == nil, failure == nil { condition.wait() }
            defer { lane.taken = nil }
            return lane.taken == true && failure == nil
        }
    }

    /// Hands some of lane `from`'s units to lane `to` (under `condition`, on `from`'s thread, after a
    /// slice folded through `at`): `to` folds them on from `at`, reading the log again from there
    /// through the shared scan, which keeps those slices for `from`, and writes their rows changed
    /// since `from`'s last batch with its own next batch.
    private func handOver(from: Int, to: Int, at: UInt64) {
        let giver = lanes[from]
        let taker = lanes[to]
        giver.taker = nil
        // At the end nothing is handed over: the taker would have no batch in which to write the rows
        // the units changed since the giver's last.
        let given = at < last ? Set(Fold.handOver(weights: giver.units.map(\.weight))) : []
        guard !given.isEmpty else {
            taker.taken = false
            condition.broadcast()
            return
        }
        taker.units = giver.units.indices.filter { given.contains($0) }.map { giver.units[$0] }
        giver.units = giver.units.indices.filter { !given.contains($0) }.map { giver.units[$0] }
        taker.reached = taker.units.map(\.fold.checkpoint).min() ?? at
        taker.at = taker.reached
        shared?.rejoin(lane: to, at: taker.reached + 1)
        handOvers += 1
        taker.taken = true
        condition.broadcast()
    }

    /// Waits until every lane has returned.
    func awaitLanes() {
        condition.withLock {
            while !lanes.allSatisfy(\.done) { condition.wait() }
        }
    }

    /// Waits until `lane` has no batch being written; `false` when the pass failed meanwhile.
    private func awaitWritten(_ lane: Lane) -> Bool {
        condition.withLock {
            while lane.writing, failure == nil { condition.wait() }
            return failure == nil
        }
    }

    /// Lets the tables of `lane`'s units whose last encoded batch is committed (through batch
    /// `committed`) forget their clean rows, once per batch, where a table caches more than its
    /// share of `cacheLimit`.
    private func forget(_ lane: Lane, committed: Int) {
        for i in lane.units.indices {
            let unit = lane.units[i]
            guard unit.encodedIn > unit.forgotAfter, unit.encodedIn <= committed else { continue }
            let limit = unit.fold.cacheLimit(cacheLimit)
            for table in unit.fold.projection.tables where table.cachedCount > limit { table.evictClean() }
            condition.withLock { lane.units[i].forgotAfter = unit.encodedIn }
        }
    }

    private func fail(_ error: any Error) {
        condition.withLock {
            if failure == nil { failure = error }
            condition.broadcast()
        }
    }

    /// The writer thread: the batches in the order they were handed over, one write transaction
    /// each, until ``stopWriter()``; after a failure it writes nothing more.
    private func writeBatches() {
        while true {
            let next: Job? = condition.withLock {
                while jobs.isEmpty, !writerStopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let job = next else { break }
            if condition.withLock({ failure != nil }) { continue }
            do {
                try write!(job.batch)
                // The pages the write read are not needed again.
                store.environment.releaseResidentPagesIfGrown()
                condition.withLock {
                    committed = job.number
                    for unit in job.units { written[unit] = job.through }
                    lanes[job.lane].writing = false
                    progress!(written.min() ?? job.through, last)
                    condition.broadcast()
                }
            } catch {
                fail(error)
            }
        }
        condition.withLock {
            writerStopped = true
            condition.broadcast()
        }
    }

    /// Stops the writer once every batch handed to it is written, and waits for it: call once every
    /// lane has returned.
    func stopWriter() {
        condition.withLock {
            writerStopping = true
            condition.broadcast()
            while !writerStopped { condition.wait() }
            write = nil
            progress = nil
        }
    }
}
