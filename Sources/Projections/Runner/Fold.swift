import Dispatch
public import EventStore
import FirstResponder

/// A projection being folded, with the position it has folded through.
public struct FoldTarget {
    /// The projection.
    public let projection: any Projection
    /// The last position folded into it.
    public internal(set) var checkpoint: UInt64
    /// Events it skipped because they do not decode as catalog events.
    public internal(set) var skipped: UInt64

    /// A target that has folded through `checkpoint`.
    public init(_ projection: any Projection, checkpoint: UInt64 = 0, skipped: UInt64 = 0) {
        self.projection = projection
        self.checkpoint = checkpoint
        self.skipped = skipped
    }
}

/// The one scan every fold goes through: the log read once, each event decoded once, and fed to
/// every target that has not folded it yet.
public enum Fold {
    /// Folds the events after the lowest checkpoint through `last` into `targets`; returns the
    /// number of events read.
    @discardableResult
    public static func run(_ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64) throws -> Int {
        guard let lowest = targets.map(\.checkpoint).min(), lowest < last else { return 0 }
        var read = 0
        try store.scan(from: lowest + 1, through: last) { view in
            read += 1
            let envelope = EventEnvelope(view)
            let event = try? CatalogEvent(view)
            for i in targets.indices where targets[i].checkpoint < envelope.position {
                if let event {
                    try targets[i].projection.apply(event, envelope)
                } else {
                    targets[i].skipped += 1
                }
                targets[i].checkpoint = envelope.position
            }
        }
        return read
    }
}

extension Fold {
    /// Folds like ``run(_:_:through:)`` on two threads, for targets that start from the same
    /// checkpoint (a rebuild): each slice of the log is decoded in two halves at once, then the
    /// targets are folded at once in two groups, each target by one thread over every event of the
    /// slice in log order — so each target's rows are exactly those of ``run(_:_:through:)``, and
    /// its digest too. The groups are balanced by the time each target took over the previous slice.
    /// Targets at different checkpoints (a catch-up) are folded by ``run(_:_:through:)``.
    @discardableResult
    public static func runInLanes(
        _ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64, slice: UInt64 = 16_384
    ) throws -> Int {
        guard targets.count > 1, let lowest = targets.first?.checkpoint, lowest < last,
            targets.allSatisfy({ $0.checkpoint == lowest })
        else { return try run(store, &targets, through: last) }
        let lanes = (0..<2).map { _ in Lane() }
        let folds = targets.map { Lane.Target($0) }
        var read = 0
        var next = lowest + 1
        while next <= last {
            let end = min(last, next + max(2, slice) - 1)
            let middle = next + (end - next + 1) / 2
            let halves = [(next, middle - 1), (middle, end)]
            DispatchQueue.concurrentPerform(iterations: lanes.count) { i in
                lanes[i].decode(store, from: halves[i].0, through: halves[i].1)
            }
            for lane in lanes { if let error = lane.error { throw error } }
            read += lanes.reduce(0) { $0 + $1.events.count }
            let groups = Lane.balance(folds)
            DispatchQueue.concurrentPerform(iterations: groups.count) { i in
                for target in groups[i] { target.fold(lanes.map(\.events)) }
            }
            for target in folds { if let error = target.error { throw error } }
            next = end + 1
        }
        targets = folds.map(\.target)
        return read
    }
}

/// One thread's share of ``Fold/runInLanes(_:_:through:slice:)``: the events it decoded, and the
/// targets it folds. Each is touched by one thread at a time (the slices' phases are joined).
private final class Lane: @unchecked Sendable {
    /// An event decoded once and read by both threads: a class, so reading it copies a reference,
    /// not every field of the event (as an array of tuples or structs did: 13% of a rebuild).
    final class Decoded: Sendable {
        let envelope: EventEnvelope
        let event: CatalogEvent?

        init(_ envelope: EventEnvelope, _ event: CatalogEvent?) {
            self.envelope = envelope
            self.event = event
        }
    }

    var events: [Decoded] = []
    var error: (any Error)?

    func decode(_ store: EventStore, from first: UInt64, through last: UInt64) {
        events.removeAll(keepingCapacity: true)
        guard first <= last else { return }
        do {
            try store.scan(from: first, through: last) { view in
                events.append(Decoded(EventEnvelope(view), try? CatalogEvent(view)))
            }
        } catch {
            self.error = error
        }
    }

    final class Target: @unchecked Sendable {
        var target: FoldTarget
        var error: (any Error)?
        /// How long its fold of the last slice took.
        var cost: Duration = .zero

        init(_ target: FoldTarget) { self.target = target }

        func fold(_ slices: [[Decoded]]) {
            guard error == nil else { return }
            let began = ContinuousClock.now
            do {
                for slice in slices {
                    for decoded in slice where target.checkpoint < decoded.envelope.position {
                        if let event = decoded.event {
                            try target.projection.apply(event, decoded.envelope)
                        } else {
                            target.skipped += 1
                        }
                        target.checkpoint = decoded.envelope.position
                    }
                }
            } catch {
                self.error = error
            }
            cost = ContinuousClock.now - began
        }
    }

    /// The targets in two groups of about the same cost (the costliest first, each to the lighter
    /// group).
    static func balance(_ targets: [Target]) -> [[Target]] {
        var groups: [[Target]] = [[], []]
        var load: [Duration] = [.zero, .zero]
        for target in targets.sorted(by: { $0.cost > $1.cost }) {
            let lighter = load[0] <= load[1] ? 0 : 1
            groups[lighter].append(target)
            load[lighter] += target.cost
        }
        return groups.filter { !$0.isEmpty }
    }
}
