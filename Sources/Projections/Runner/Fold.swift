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
    /// (``batches(_:_:through:batchSize:lanes:flush:progress:)``). Within and after each slice the
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

    /// Folds `targets` from their checkpoints through `last`, `batchSize` events at a time, calling
    /// `flush` with a batch's targets after it (to write their changed rows and mark them stored), and
    /// letting go of the pages read every ``releaseEvery`` events and after each flush — the pass holds
    /// a slice's pages, not the log's. `progress` is told (lowest position reached, `last`) after each
    /// batch.
    ///
    /// With `lanes` above 1 the targets are split into that many lanes of about equal work
    /// (``lanes(_:_:through:count:)``), each folded by a thread of its own that scans the log itself
    /// and decodes only what its targets fold: nothing passes between the threads, and each target is
    /// still folded by one thread, every event in log order — its rows are the same whatever the
    /// lanes. `flush` is then called from several threads, each time with one lane's targets, and
    /// `progress` from several threads one call at a time.
    ///
    /// With `parts` too, an empty target whose projection has a ``Projection/partitioning`` (and was
    /// made with ``FoldTarget/init(empty:backend:)``) is folded as ``partsPerLane`` × `lanes` parts,
    /// each a target of its own in some lane, writing its own keys' rows into the same database; the
    /// parts come back as one target marked ``FoldTarget/foldedInParts``. Should the log hold an
    /// event the parts would fold differently, this throws ``PartsDisagree``: clear what was written
    /// and fold again without parts.
    static func batches(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, batchSize: UInt64, lanes: Int,
        parts: Bool = true, flush: ([FoldTarget]) throws -> Void, progress: ((UInt64, UInt64) -> Void)?
    ) throws {
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
        let groups = try Self.lanes(store, folds, through: last, count: lanes)
        try withoutActuallyEscaping(flush) { flush in
            try withoutActuallyEscaping(progress ?? { _, _ in }) { progress in
                let pass = LanePass(
                    store: store, lanes: groups.map { $0.map { folds[$0] } }, through: last, batchSize: batchSize,
                    flush: flush, progress: progress)
                if groups.count == 1 {
                    pass.run(0)
                } else {
                    // Returns once every lane is done: the closures never outlive this call.
                    DispatchQueue.concurrentPerform(iterations: groups.count) { pass.run($0) }
                }
                for (group, lane) in zip(groups, pass.lanes) {
                    for (index, fold) in zip(group, lane.targets) { folds[index] = fold }
                }
                if let failure = pass.failure { throw failure }
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
    }

    /// Splits `targets` into at most `count` lanes of about equal work: each target weighs the events
    /// of a sample of the log (four evenly spread windows of at most 16,384 events between the
    /// lowest checkpoint and `last`) whose types it folds (a part of a projection, its share of them),
    /// and the heaviest goes first into the lightest lane. Returns each lane's target indices in target order; no lane is empty, and one
    /// lane holds every target when `count` is 1.
    public static func lanes(_ store: EventStore, _ targets: [FoldTarget], through last: UInt64, count: Int) throws
        -> [[Int]]
    {
        guard count > 1, targets.count > 1, let lowest = targets.map(\.checkpoint).min(), lowest < last else {
            return [Array(targets.indices)]
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
        // A part of a projection weighs its share of the projection's events.
        let weights = targets.map { target in
            CatalogEvent.Kind.allCases.reduce(0) { sum, kind in
                type(of: target.projection).folds(kind) ? sum + seen[Int(kind.rawValue)] : sum
            } / (target.part?.count ?? 1)
        }
        var lanes = [[Int]](repeating: [], count: min(count, targets.count))
        var load = [Int](repeating: 0, count: lanes.count)
        for index in targets.indices.sorted(by: { (weights[$0], $1) > (weights[$1], $0) }) {
            let lightest = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            lanes[lightest].append(index)
            load[lightest] += weights[index]
        }
        return lanes.filter { !$0.isEmpty }.map { $0.sorted() }
    }
}

/// One ``Fold/batches(_:_:through:batchSize:lanes:flush:progress:)``: its lanes, each folded by
/// ``run(_:)`` on a thread of its own.
private final class LanePass: @unchecked Sendable {
    // @unchecked: a lane's targets are touched only by the thread running it; `reached`, `failure`
    // and the calls to `progress` are under `lock`.
    final class Lane {
        var targets: [FoldTarget]
        var reached: UInt64

        init(_ targets: [FoldTarget], last: UInt64) {
            self.targets = targets
            reached = targets.map(\.checkpoint).min() ?? last
        }
    }

    let store: EventStore
    let lanes: [Lane]
    let last: UInt64
    let step: UInt64
    let flush: ([FoldTarget]) throws -> Void
    let progress: (UInt64, UInt64) -> Void
    let lock = NSLock()
    var failure: (any Error)?
    /// The log's one read for every lane, when there are several.
    let shared: SharedLogScan?

    init(
        store: EventStore, lanes: [[FoldTarget]], through last: UInt64, batchSize: UInt64,
        flush: @escaping ([FoldTarget]) throws -> Void, progress: @escaping (UInt64, UInt64) -> Void
    ) {
        self.store = store
        self.lanes = lanes.map { Lane($0, last: last) }
        self.last = last
        step = max(1, batchSize)
        self.flush = flush
        self.progress = progress
        // A batch ahead at most: a lane may run ahead of the other by a flush's worth of events.
        shared =
            lanes.count > 1
            ? SharedLogScan(
                store, through: last, lanesFrom: self.lanes.map { $0.reached + 1 }, sliceSize: Fold.releaseEvery,
                capacity: max(8, Int(step / Fold.releaseEvery)))
            : nil
    }

    /// Folds lane `index` to the end, a batch at a time; stops at the first failure of any lane.
    func run(_ index: Int) {
        let lane = lanes[index]
        defer { shared?.finish(lane: index) }
        do {
            while lane.reached < last {
                if lock.withLock({ failure != nil }) { return }
                let end = min(last, lane.reached + step)
                // The pages read are let go every slice: what the fold maps (the log's pages, and the
                // views' pages it reads back) stays a slice's worth, however big the views grow.
                try Fold.run(
                    store, &lane.targets, through: end, releasingPagesEvery: Fold.releaseEvery,
                    sharing: shared.map { ($0, index) })
                try flush(lane.targets)
                // The pages the flush read are not needed again.
                store.environment.releaseResidentPagesIfGrown()
                lock.withLock {
                    lane.reached = end
                    progress(lanes.map(\.reached).min() ?? end, last)
                }
            }
        } catch {
            lock.withLock { if failure == nil { failure = error } }
        }
    }
}
