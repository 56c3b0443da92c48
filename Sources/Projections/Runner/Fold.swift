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

    /// A target that has folded through `checkpoint`.
    public init(_ projection: any Projection, checkpoint: UInt64 = 0, skipped: UInt64 = 0) {
        self.projection = projection
        self.checkpoint = checkpoint
        self.skipped = skipped
    }
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
        guard let lowest = targets.map(\.checkpoint).min(), lowest < last else { return 0 }
        // Which targets fold each type, decided once per run: a row per type, a flag per target.
        let kinds = targets.map { type(of: $0.projection) }
        let folding = CatalogEvent.Kind.allCases.map { kind in kinds.map { $0.folds(kind) } }
        let everyTarget = [Bool](repeating: true, count: targets.count)
        var read = 0
        func visit(_ view: EventView) throws {
            read += 1
            let position = view.position
            let kind = CatalogEvent.kind(of: view)
            // A type not in the catalog is skipped by every target, as any target might have folded it.
            let folds = kind.map { folding[Int($0.rawValue)] } ?? everyTarget
            var wanted = false
            for i in targets.indices where folds[i] && targets[i].checkpoint < position { wanted = true }
            // An event no target folds is not decoded.
            let event = wanted ? kind.flatMap { try? CatalogEvent(view, kind: $0) } : nil
            let envelope = event.map { _ in EventEnvelope(view) }
            for i in targets.indices where targets[i].checkpoint < position {
                if folds[i] {
                    if let event, let envelope {
                        try targets[i].projection.apply(event, envelope)
                    } else {
                        targets[i].skipped += 1
                    }
                }
                targets[i].checkpoint = position
            }
        }
        if let chunk = releasingPagesEvery {
            try store.scanReleasingPages(from: lowest + 1, through: last, chunk: chunk, visit)
        } else {
            try store.scan(from: lowest + 1, through: last, visit)
        }
        return read
    }
}

extension Fold {
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
    static func batches(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, batchSize: UInt64, lanes: Int,
        flush: ([FoldTarget]) throws -> Void, progress: ((UInt64, UInt64) -> Void)?
    ) throws {
        let groups = try Self.lanes(store, targets, through: last, count: lanes)
        try withoutActuallyEscaping(flush) { flush in
            try withoutActuallyEscaping(progress ?? { _, _ in }) { progress in
                let pass = LanePass(
                    store: store, lanes: groups.map { $0.map { targets[$0] } }, through: last, batchSize: batchSize,
                    flush: flush, progress: progress)
                if groups.count == 1 {
                    pass.run(0)
                } else {
                    // Returns once every lane is done: the closures never outlive this call.
                    DispatchQueue.concurrentPerform(iterations: groups.count) { pass.run($0) }
                }
                for (group, lane) in zip(groups, pass.lanes) {
                    for (index, target) in zip(group, lane.targets) { targets[index] = target }
                }
                if let failure = pass.failure { throw failure }
            }
        }
    }

    /// Splits `targets` into at most `count` lanes of about equal work: each target weighs the events
    /// of a sample of the log (four evenly spread windows of at most 16,384 events between the
    /// lowest checkpoint and `last`) whose types it folds, and the heaviest goes first into the
    /// lightest lane. Returns each lane's target indices in target order; no lane is empty, and one
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
        let weights = targets.map { target in
            CatalogEvent.Kind.allCases.reduce(0) { sum, kind in
                type(of: target.projection).folds(kind) ? sum + seen[Int(kind.rawValue)] : sum
            }
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
    }

    /// Folds lane `index` to the end, a batch at a time; stops at the first failure of any lane.
    func run(_ index: Int) {
        let lane = lanes[index]
        do {
            while lane.reached < last {
                if lock.withLock({ failure != nil }) { return }
                let end = min(last, lane.reached + step)
                // The pages read are let go every slice: what the fold maps (the log's pages, and the
                // views' pages it reads back) stays a slice's worth, however big the views grow.
                try Fold.run(store, &lane.targets, through: end, releasingPagesEvery: Fold.releaseEvery)
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
