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

/// The one scan every fold goes through: the log read once, each event decoded once, and handed to
/// every target that folds it (``Projection/folds(_:)``) and has not folded it yet — on one thread:
/// folding on two (each slice decoded in halves, the targets in two groups) cost more CPU and,
/// measured on 2 December, no less wall time.
public enum Fold {
    /// Folds the events after the lowest checkpoint through `last` into `targets`; returns the
    /// number of events read.
    @discardableResult
    public static func run(_ store: EventStore, _ targets: inout [FoldTarget], through last: UInt64) throws -> Int {
        guard let lowest = targets.map(\.checkpoint).min(), lowest < last else { return 0 }
        let kinds = targets.map { type(of: $0.projection) }
        var read = 0
        try store.scan(from: lowest + 1, through: last) { view in
            read += 1
            let envelope = EventEnvelope(view)
            guard let event = try? CatalogEvent(view) else {
                for i in targets.indices where targets[i].checkpoint < envelope.position {
                    targets[i].skipped += 1
                    targets[i].checkpoint = envelope.position
                }
                return
            }
            // Each target is handed only the events it folds.
            for i in targets.indices where targets[i].checkpoint < envelope.position {
                if kinds[i].folds(event) { try targets[i].projection.apply(event, envelope) }
                targets[i].checkpoint = envelope.position
            }
        }
        return read
    }
}
