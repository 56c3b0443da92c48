public import EventStore

/// What ``CommandHandler/finishInterruptedSeals()`` did with one pending sealing.
public struct InterruptedSeal: Sendable {
    /// The streams (cases) of its `RecordSealed` events.
    public var streams: [String]
    /// Where its events are in the log, when it is finished now.
    public var positions: [UInt64]?
    /// Why it could not be finished: a case changed since the sealing (it stays pending; close the
    /// case and run `seal-record` again).
    public var refusal: String?

    /// What happened, in one sentence for the operator (`vigil command`, `vigil serve`, `vigil restore`).
    public var summary: String {
        if let positions {
            return "finished an interrupted sealing: RecordSealed at positions "
                + positions.map(String.init).joined(separator: ", ")
        }
        return "a sealing of \(streams.joined(separator: ", ")) was interrupted after the personal data was "
            + "destroyed, and a case changed since (\(refusal ?? "")): close the case and run seal-record again"
    }
}

extension CommandHandler {
    /// Finishes every sealing the vault records as pending (``PendingSeal``): the keys were destroyed
    /// but the process stopped, or the append failed, before the log had its `RecordSealed` events.
    /// Appends exactly the recorded events with their expected versions — their ids are fixed, so
    /// events that did make it are an idempotent retry — then removes the intent. If a case changed
    /// since (the expected version fails), the intent stays and the result says so. Run it when a
    /// writing process starts (`vigil command` does); with no vault, or nothing pending, it does
    /// nothing.
    @discardableResult
    public func finishInterruptedSeals() async throws -> [InterruptedSeal] {
        guard let vault else { return [] }
        var results: [InterruptedSeal] = []
        for pending in try vault.pendingSeals() {
            guard let id = pending.id else { continue }
            var result = InterruptedSeal(streams: pending.events.map(\.stream))
            do {
                result.positions = try await store.append(pending.request).events.map(\.position)
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                result.refusal = error.message
                results.append(result)
                continue
            } catch let error as EventStoreError where error.code == .idempotencyConflict {
                // A retry of the command appended its own RecordSealed under these ids meanwhile: the
                // log has every one, so the sealing is complete.
                let stored = try pending.events.compactMap { try $0.id.flatMap(store.event(id:)) }
                guard stored.count == pending.events.count else { throw error }
                result.positions = stored.map(\.position)
            }
            try vault.completeSeal(id)
            results.append(result)
        }
        return results
    }
}
