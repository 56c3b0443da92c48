import LMDB

extension EventStore {
    /// Appends `request`'s events atomically and returns once they are durable.
    ///
    /// - Expected versions are checked against the streams as they stand when the append's turn
    ///   comes in the writer; a mismatch fails with ``EventStoreError/Code/wrongExpectedVersion``
    ///   and writes nothing.
    /// - If every event id is already stored, nothing is written and the original positions come
    ///   back with ``AppendResult/alreadyStored`` set: retrying after a timeout never duplicates.
    /// - Concurrent appends are committed together (group commit); one append's failure does not
    ///   fail the others.
    public func append(_ request: AppendRequest) async throws -> AppendResult {
        if request.events.isEmpty && request.expectations.isEmpty {
            return AppendResult(events: [], alreadyStored: false, recordedAt: options.clock())
        }
        let prepared = try PreparedAppend(request, projections: options.inlineProjections)
        return try await submit(prepared)
    }

    private func submit(_ prepared: PreparedAppend) async throws -> AppendResult {
        let environment = self.environment
        let dbs = self.databases
        let clock = options.clock
        let ids = idGenerator
        let notifier = self.notifier
        let projections = options.inlineProjections
        let observer = options.commitObserver
        return try await writer.submit(prepared) { batch in
            let results = Self.commit(
                batch, environment: environment, dbs: dbs, clock: clock, ids: ids, notifier: notifier,
                projections: projections)
            for (append, result) in zip(batch, results) {
                if let onCommit = append.request.onCommit, case .success(let appended) = result { onCommit(appended) }
            }
            if let observer {
                var appends = 0
                var events = 0
                for result in results {
                    if case .success(let appended) = result, !appended.alreadyStored {
                        appends += 1
                        events += appended.events.count
                    }
                }
                if appends > 0 { observer(appends, events) }
            }
            return results
        }
    }

    /// Writes exported events back exactly as they were: each at its original position, with its
    /// original recordedAt, and (when given) checked against its original chain hash — so a restored
    /// store has the same chain head as the one exported. The store must end just before the first
    /// event's position. A mismatch fails the whole restore and writes nothing of it.
    public func restore(_ events: [NewEvent]) async throws -> AppendResult {
        guard !events.isEmpty else {
            return AppendResult(events: [], alreadyStored: false, recordedAt: options.clock())
        }
        guard !environment.options.writeMap else {
            // Each restore is checked in a nested transaction, and LMDB refuses those under MDB_WRITEMAP.
            throw EventStoreError(
                .storage, "a restore cannot write into a store opened with writeMap (a fill's mode): open it without")
        }
        let prepared = try PreparedAppend(
            AppendRequest(events: events), restore: true, projections: options.inlineProjections)
        return try await submit(prepared)
    }

    /// Appends events to one stream.
    public func append(
        _ events: [NewEvent],
        to stream: String,
        expecting expected: ExpectedVersion = .any
    ) async throws -> AppendResult {
        try await append(AppendRequest(events: events, expectations: [stream: expected]))
    }

    /// Stops taking appends; queued ones are committed first. Subscriptions end.
    public func close() {
        writer.close()
        notifier.close()
    }

    /// Runs on the committing thread (the writer's, or a lone appender's without fsync): one
    /// transaction, one fsync, for the whole batch.
    private static func commit(
        _ batch: [PreparedAppend],
        environment: Environment,
        dbs: Databases,
        clock: @Sendable () -> Timestamp,
        ids: UUIDv7Generator,
        notifier: HeadNotifier,
        projections: [any InlineProjection]
    ) -> [Result<AppendResult, EventStoreError>] {
        do {
            let (results, head) = try environment.write { txn in
                var writer = try LogWriter(
                    txn, dbs: dbs, ids: ids, clock: clock(), projections: projections,
                    expectedEvents: batch.reduce(0) { $0 + $1.request.events.count })
                var results: [Result<AppendResult, EventStoreError>] = []
                results.reserveCapacity(batch.count)
                for append in batch {
                    results.append(try writer.apply(append, txn))
                }
                try writer.finish(txn)
                return (results, writer.nextPosition - 1)
            }
            notifier.advance(to: head)
            return results
        } catch {
            let failure = EventStoreError.storage(error)
            return batch.map { _ in .failure(failure) }
        }
    }
}
