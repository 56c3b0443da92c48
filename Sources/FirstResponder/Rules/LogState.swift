import EventStore

/// The aggregates one command — or one import batch — reads and changes: each stream's state as the
/// log holds it, plus the events admitted since, and the version each stream had when first read
/// (the append's expected versions, so a concurrent change to anything read fails the append).
///
/// Aggregates come from the shared ``AggregateCache`` when it has them, caught up with the log; what
/// the rules admit is folded into them here, and they go back to the cache only once the append is
/// durable (``committed()``).
///
/// Used by one command or batch on one task; not thread-safe.
final class LogState {
    let store: EventStore
    let cache: AggregateCache
    private var working: [String: any Aggregate] = [:]
    private var modified: Set<String> = []
    /// Streams read whose value may still share storage with the cache's copy.
    private var sharedWithCache: Set<String> = []
    private(set) var readVersions: [String: UInt64] = [:]
    private var headPosition: UInt64?
    /// Events admitted so far.
    private(set) var admitted = 0

    init(store: EventStore, cache: AggregateCache) {
        self.store = store
        self.cache = cache
    }

    /// The expected version of every stream read.
    var expectations: [String: ExpectedVersion] { readVersions.mapValues { .exactly($0) } }

    /// The position the next admitted event will land at, if nothing else is appended first.
    func nextPosition() throws -> UInt64 {
        if headPosition == nil { headPosition = try store.head().position }
        return headPosition! + UInt64(admitted) + 1
    }

    /// Counts one admitted event.
    func countAdmitted() { admitted += 1 }

    /// Chain hashes of restored lines admitted in this batch (export lines carry theirs), by position.
    private var batchHashes: [UInt64: [UInt8]] = [:]

    /// Remembers the chain hash an admitted restore line will have at `position` (the store checks
    /// it when the batch is appended).
    func note(chainHash: [UInt8], at position: UInt64) { batchHashes[position] = chainHash }

    /// The chain hash at `position`: stored, or carried by a restore line admitted in this batch;
    /// `nil` when neither knows it (a plain line of this batch is chained only when appended).
    func chainHash(at position: UInt64) throws -> [UInt8]? {
        if let stored = try store.event(at: position) { return stored.hash }
        return batchHashes[position]
    }

    /// The aggregate of `stream`, as the log holds it plus what was admitted here.
    ///
    /// A read leaves the cache's copy where it is (concurrent commands read the same county, policy
    /// and responders: each taking it out in turn left the others to fold it again from the log); the
    /// two share storage until one of them changes (``modify(_:as:_:)`` takes it out instead).
    func read<A: Aggregate>(_ stream: String, as type: A.Type = A.self) throws -> A {
        let value: A = try take(stream, sharing: true)
        working[stream] = value
        return value
    }

    /// Runs `body` on the aggregate of `stream`, changing it in place; `body` checks before it
    /// changes anything, so when it throws the aggregate is as it was.
    func modify<A: Aggregate, R>(_ stream: String, as type: A.Type, _ body: (inout A) throws -> R) throws -> R {
        // A value read earlier shares storage with the cache's copy: dropping that copy (the append
        // puts the changed one back) spares changing it a copy of its collections.
        if sharedWithCache.remove(stream) != nil { _ = cache.take(stream) }
        var value: A = try take(stream)
        defer { working[stream] = value }
        let result = try body(&value)
        modified.insert(stream)
        return result
    }

    /// Every aggregate read or changed, handed over for the cache once the append is durable
    /// (``AggregateCache/put(_:)``); the state is empty afterwards.
    func drain() -> [String: any Aggregate] {
        defer {
            working = [:]
            modified = []
            sharedWithCache = []
        }
        return working
    }

    /// Gives back to the cache what was only read, when nothing is appended after all: what was
    /// changed is dropped (the next reader folds it from the log).
    func discard() {
        cache.put(working.filter { !modified.contains($0.key) })
        working = [:]
        modified = []
        sharedWithCache = []
    }

    private func take<A: Aggregate>(_ stream: String, sharing: Bool = false) throws -> A {
        if let value = working.removeValue(forKey: stream) {
            guard let typed = value as? A else { throw Self.kindMismatch(stream) }
            return typed
        }
        var value: A
        if let cached = sharing ? cache.peek(stream) : cache.take(stream) {
            guard let typed = cached as? A else { throw Self.kindMismatch(stream) }
            value = typed
            if sharing { sharedWithCache.insert(stream) }
        } else {
            guard let empty = A(stream: stream) else { throw Self.kindMismatch(stream) }
            value = empty
        }
        // Read in place: each event is decoded straight from the log's page.
        try store.scanStream(stream, from: value.version + 1) { recorded in
            let event = try CatalogEvent(reading: recorded, of: stream, "; nothing more is written to it")
            value.fold(
                event,
                EventFacts(position: recorded.position, version: recorded.version, occurredAt: recorded.occurredAt))
        }
        if readVersions[stream] == nil { readVersions[stream] = value.version }
        return value
    }

    private static func kindMismatch(_ stream: String) -> RuleViolation {
        RuleViolation(.unknownRecord, at: "/stream", "\(stream) is not a stream the catalog names")
    }
}

// MARK: - What rules look up in other streams

extension LogState {
    /// The case `caseId`, which must have been reported; errors at `pointer`.
    func existingCase(_ caseId: CaseID, at pointer: String) throws -> CaseFile {
        let file: CaseFile = try read(CaseFile.stream(caseId))
        guard file.exists else {
            throw RuleViolation(.unknownCase, at: pointer, "case \(caseId) was never reported")
        }
        guard !file.state.recoveryVoided else {
            throw RuleViolation(
                .lifecycle(.recoveryVoided), at: pointer, "case \(caseId)'s recovery was voided: it counts nowhere")
        }
        return file
    }

    /// The responder `id` (perhaps never registered).
    func responder(_ id: ResponderID, at pointer: String) throws -> ResponderRecord {
        try read(RosterView.stream(id))
    }

    /// Every counted fact that names operation `id`, with the time that must fall while it ran: each
    /// arrest in it (not voided, as corrected: `arrestedAt`) and each recovery (not voided, as
    /// corrected: `contactAt`). It is for the rare events that narrow an operation's window (its end, a
    /// corrected start or end), and every stream it reads is expected unchanged by the append.
    ///
    /// Only an arrest or case stream with an event after the operation's start (`startPosition`, the
    /// position of its `OperationStarted`) can name it: an arrest or a recovery names an operation only
    /// through an event the rules checked against it running (``runningOperation(_:at:)``: started, so
    /// folded, so at an earlier position). So it reads those streams — found in the log's records since
    /// the start, by their stream names alone, nothing decoded — and those admitted in this batch,
    /// not every arrest and case the log holds: the cost is the operation's span, not the log's length.
    /// (A log written with `vigil import --raw` skipped the rules: there, as everywhere, a fact linked
    /// against them is the operator's responsibility.)
    func facts(inOperation id: OperationID, startPosition: UInt64) throws -> [(what: String, at: Timestamp)] {
        var streams = Set(working.keys.filter { $0.hasPrefix(Self.arrestPrefix) || $0.hasPrefix(Self.casePrefix) })
        try store.scan(from: startPosition + 1) { view in
            let name = view.streamBytes
            if name.starts(with: Self.arrestPrefix.utf8) || name.starts(with: Self.casePrefix.utf8) {
                streams.insert(view.stream)
            }
        }
        // In name order: every arrest ("arrest-…" sorts before "case-…"), then every case.
        var out: [(what: String, at: Timestamp)] = []
        for stream in streams.sorted() {
            if stream.hasPrefix(Self.arrestPrefix) {
                let record: ArrestRecord = try read(stream)
                if !record.voided, let arrest = record.arrest, arrest.operationId == id {
                    out.append(("arrest \(record.arrestId)", arrest.arrestedAt))
                }
            } else {
                let file: CaseFile = try read(stream)
                if !file.state.recoveryVoided, let recovery = file.recovery, recovery.operationId == id {
                    out.append(("the recovery of case \(file.caseId)", recovery.contactAt))
                }
            }
        }
        return out
    }

    private static let arrestPrefix = "arrest-"
    private static let casePrefix = "case-"

    /// The county's reference data.
    func county() throws -> CountyRegistry {
        try read(CountyRegistry.stream)
    }

    /// The county's legal holds (the `legal-holds` stream), expected at the version read.
    func legalHolds() throws -> LegalHoldRegister {
        try read(LegalHoldRegister.stream)
    }

    /// The operation `id`, which must have started; errors at `pointer`.
    func runningOperation(_ id: OperationID, at pointer: String) throws -> OperationRecord {
        let operation: OperationRecord = try read(OperationRecord.stream(id))
        guard operation.started != nil else {
            throw RuleViolation(.unknownRecord, at: pointer, "operation \(id) never started")
        }
        guard !operation.voided else {
            throw RuleViolation(.recordClosed, at: pointer, "operation \(id) was voided")
        }
        return operation
    }
}
