public import EventStore
public import FirstResponder
public import Projections

/// Views as they stood at a past moment, and one case as of a moment, computed from the log.
///
/// ```swift
/// // The Board's figures as they were known on 5 October: late entries recorded after it left out.
/// let known = try AsOf.views(store, at: .recordedAt(Timestamp(rfc3339: "2026-10-05T23:59:59Z")!))
/// let figures = try RecoveriesQuery(period: q3).run(known)
/// ```
public enum AsOf {
    /// Every projection (or `kinds`) folded from the first position through `moment` into scratch
    /// views (``ScratchViews``: a temporary LMDB environment written a batch at a time, so the
    /// fold's memory does not grow with the log): the same folds and row codecs as the stored views,
    /// so the same queries read it. `progress` is told (position reached, target) now and then.
    public static func views(
        _ store: EventStore, at moment: Moment, kinds: [any Projection.Type] = ProjectionCatalog.all,
        progress: ((UInt64, UInt64) -> Void)? = nil
    ) throws -> ScratchViews {
        let position = try moment.position(in: store)
        return try ScratchViews.fold(
            store, kinds: kinds, through: position, recordedAt: try moment.instant(in: store, position: position),
            progress: progress)
    }

    /// One case as it stood at `moment`, folded from its own stream through the stream index (and
    /// the policy stream, for the thresholds in force), not from a replay of the log; `nil` when the
    /// case was not reported by then.
    public static func caseRecord(_ store: EventStore, _ caseId: CaseID, at moment: Moment) throws -> CaseRecord? {
        let position = try moment.position(in: store)
        let changes = try store.readStream(PolicyView.stream).filter { $0.position <= position }
        var policy = PolicyView.initial
        var nextChange = 0
        var record: CaseRecord?
        for recorded in try store.readStream(CaseFile.stream(caseId)) {
            guard recorded.position <= position else { break }
            while nextChange < changes.count, changes[nextChange].position < recorded.position {
                if let change = try? EventCatalog.decode(changes[nextChange]) as? PolicyChanged {
                    policy.apply(change, position: changes[nextChange].position, version: changes[nextChange].version)
                }
                nextChange += 1
            }
            guard
                let event = try? recorded.payload.withUnsafeBytes({
                    try CatalogEvent(
                        type: recorded.type, schemaVersion: recorded.schemaVersion, payload: $0,
                        encoding: recorded.payloadEncoding)
                })
            else { continue }
            let envelope = EventEnvelope(
                position: recorded.position, streamVersion: recorded.version, occurredAt: recorded.occurredAt,
                recordedAt: recorded.recordedAt)
            if case .recoveryReported(let e) = event, record == nil {
                record = CaseRecord(e, envelope, policy: policy)
            } else {
                record?.apply(event, envelope, policy: policy)
            }
        }
        return record
    }
}
