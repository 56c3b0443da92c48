public import EventStore
import Foundation
public import LMDB
import Synchronization

/// The durable timer index: an inline projection of the timer events, written in the same
/// transaction as the event that scheduled, cancelled or fired the timer, so a restart loses none
/// and a replay rebuilds the same index.
///
/// Databases: `timersDue` — key: due time (µs since the epoch as i64 with the sign bit flipped, so
/// unsigned big-endian order is time order) ‖ timer id; value: the timer as JSON. `timersById` —
/// key: timer id; value: its `timersDue` key. Re-scheduling a timer id moves it; cancelling or
/// firing one that is not pending does nothing (firing is idempotent).
public final class TimerIndex: InlineProjection, @unchecked Sendable {
    // @unchecked: the database handles are set once, in `open`, before the store takes appends.
    public let name = "timers"
    private var due: Database?
    private var byId: Database?
    /// The payloads ``check(_:)`` parsed, for ``apply(_:_:)`` to fold without parsing them again.
    private let checked = CheckedTimerPayloads()

    /// A timer index (pass it in ``EventStore/Options/inlineProjections``).
    public init() {}

    static let types: Set<String> = ["TimerScheduled", "TimerCancelled", "TimerFired"]

    public func open(_ txn: borrowing Transaction) throws {
        let flags: Database.Flags = txn.isReadOnly ? [] : .create
        due = try txn.openDatabase("timersDue", flags: flags)
        byId = try txn.openDatabase("timersById", flags: flags)
    }

    public func reset(_ txn: borrowing Transaction) throws {
        guard let due, let byId else { return }
        try txn.clear(due)
        try txn.clear(byId)
    }

    public func check(_ event: NewEvent) -> String? {
        guard Self.types.contains(event.type) else { return nil }
        let key = TimerPayload.Key(
            payload: event.payload, encoding: event.payloadEncoding, type: event.type,
            schemaVersion: event.schemaVersion)
        switch TimerPayload.parse(key) {
        case .success(let payload):
            checked.remember(payload, for: key)
            return nil
        case .failure(let problem): return problem.message
        }
    }

    public func apply(_ event: WrittenEvent, _ txn: borrowing Transaction) throws {
        guard Self.types.contains(event.type), let due, let byId else { return }
        let parsed = TimerPayload.Key(
            payload: event.payload, encoding: event.payloadEncoding, type: event.type,
            schemaVersion: event.schemaVersion)
        let payload = try checked.take(parsed) ?? TimerPayload.parse(parsed).get()
        // Whatever happens, a pending timer with this id leaves its old slot.
        if let old = try Array(payload.timerId.utf8).withUnsafeBytes({ try txn.get(byId, key: $0).map { Array($0) } }) {
            try old.withUnsafeBytes { _ = try txn.delete(due, key: $0) }
            try Array(payload.timerId.utf8).withUnsafeBytes { _ = try txn.delete(byId, key: $0) }
        }
        guard event.type == "TimerScheduled", let dueAt = payload.dueAt else { return }
        let timer = DurableTimer(
            timerId: payload.timerId, kind: payload.kind ?? "", dueAt: dueAt, stream: event.stream,
            caseId: payload.caseId,
            requestId: payload.requestId, responderId: payload.responderId, scheduledAt: event.position)
        let key = Self.dueKey(dueAt, payload.timerId)
        try key.withUnsafeBytes { k in try Self.encode(timer).withUnsafeBytes { try txn.put(due, key: k, value: $0) } }
        try Array(payload.timerId.utf8).withUnsafeBytes { k in
            try key.withUnsafeBytes { try txn.put(byId, key: k, value: $0) }
        }
    }

    // MARK: - Queries

    /// Pending timers due at or before `instant`, earliest first: of the first `limit` such timers,
    /// those whose id is not in `skipping`. Skipped timers are passed over by their key (due time and
    /// id), without reading their entries.
    public func due(
        asOf instant: Timestamp, limit: Int = 1_000, skipping: Set<String> = [], in environment: Environment
    ) throws -> [DurableTimer] {
        try pending(limit: limit, skipping: skipping, dueBy: instant, in: environment)
    }

    /// All pending timers, earliest first: of the first `limit`, those whose id is not in `skipping`.
    public func pending(limit: Int = .max, skipping: Set<String> = [], in environment: Environment) throws
        -> [DurableTimer]
    {
        try pending(limit: limit, skipping: skipping, dueBy: nil, in: environment)
    }

    /// The pending timer with `timerId`, if any.
    public func timer(_ timerId: String, in environment: Environment) throws -> DurableTimer? {
        guard let due, let byId else { return nil }
        return try environment.read { txn in
            guard let key = try Array(timerId.utf8).withUnsafeBytes({ try txn.get(byId, key: $0).map { Array($0) } }),
                let value = try key.withUnsafeBytes({ try txn.get(due, key: $0) })
            else { return nil }
            return try Self.decode(value)
        }
    }

    /// Walks `timersDue` in key order (due time, then id) up to `limit` entries or the first due after
    /// `dueBy`, reading the entries of those not in `skipping`.
    private func pending(limit: Int, skipping: Set<String>, dueBy: Timestamp?, in environment: Environment) throws
        -> [DurableTimer]
    {
        guard let due else { return [] }
        let latest = dueBy.map { Self.biased($0) }
        return try environment.read { txn in
            try txn.withCursor(due) { cursor in
                var out: [DurableTimer] = []
                var walked = 0
                var entry = try cursor.first()
                while let e = entry, walked < limit, e.key.count >= 8 {
                    if let latest, Self.biasedDue(e.key) > latest { break }
                    walked += 1
                    if skipping.isEmpty || !skipping.contains(String(decoding: e.key.dropFirst(8), as: UTF8.self)) {
                        out.append(try Self.decode(e.value))
                    }
                    entry = try cursor.next()
                }
                return out
            }
        }
    }

    // MARK: - Encoding

    static func dueKey(_ dueAt: Timestamp, _ timerId: String) -> [UInt8] {
        withUnsafeBytes(of: biased(dueAt).bigEndian) { Array($0) } + Array(timerId.utf8)
    }

    /// A due time as its key's first eight bytes hold it (sign bit flipped, so unsigned order is time order).
    static func biased(_ dueAt: Timestamp) -> UInt64 { UInt64(bitPattern: dueAt.microseconds) ^ (1 << 63) }

    /// The biased due time at the start of a `timersDue` key (at least eight bytes).
    static func biasedDue(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        for byte in key.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    static func encode(_ t: DurableTimer) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("timerId", t.timerId)
        w.field("kind", t.kind)
        w.field("dueAt", t.dueAt.microseconds)
        w.field("stream", t.stream)
        if let c = t.caseId { w.field("caseId", c) }
        if let r = t.requestId { w.field("requestId", r) }
        if let r = t.responderId { w.field("responderId", r) }
        w.field("scheduledAt", t.scheduledAt)
        w.endObject()
        return w.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> DurableTimer {
        guard let o = (try? JSONValue(parsing: bytes))?.objectValue,
            let timerId = o["timerId"]?.stringValue, let kind = o["kind"]?.stringValue,
            let dueAt = o["dueAt"]?.integerValue, let stream = o["stream"]?.stringValue,
            let scheduledAt = o["scheduledAt"]?.integerValue, scheduledAt >= 0
        else { throw EventStoreError(.corrupted, "a timersDue entry is not a timer") }
        return DurableTimer(
            timerId: timerId, kind: kind, dueAt: Timestamp(microseconds: dueAt), stream: stream,
            caseId: o["caseId"]?.stringValue, requestId: o["requestId"]?.stringValue,
            responderId: o["responderId"]?.stringValue, scheduledAt: UInt64(scheduledAt))
    }
}

/// The fields of a timer event the index needs, from its payload in either catalog encoding.
struct TimerPayload: Sendable {
    var timerId: String
    var kind: String?
    var dueAt: Timestamp?
    var caseId: String?
    var requestId: String?
    var responderId: String?

    struct Problem: Error {
        let message: String
    }

    /// What a payload is parsed from: the event's payload, its encoding, type and schema version.
    struct Key: Hashable {
        var payload: [UInt8]
        var encoding: PayloadEncoding
        var type: String
        var schemaVersion: UInt16
    }

    static func parse(_ key: Key) -> Result<TimerPayload, Problem> {
        let type = key.type
        let decoded: any DomainEvent
        do {
            decoded = try key.payload.withUnsafeBytes { raw in
                try EventCatalog.decode(
                    type: type, schemaVersion: key.schemaVersion, payload: raw, encoding: key.encoding)
            }
        } catch {
            return .failure(Problem(message: "\(type): \(error)"))
        }
        switch decoded {
        case let e as TimerScheduled:
            return .success(
                TimerPayload(
                    timerId: e.timerId.rawValue, kind: e.kind.rawValue, dueAt: e.dueAt, caseId: e.caseId?.rawValue,
                    requestId: e.requestId?.rawValue, responderId: e.responderId?.rawValue))
        case let e as TimerFired:
            return .success(
                TimerPayload(
                    timerId: e.timerId.rawValue, kind: e.kind.rawValue, dueAt: e.dueAt, caseId: e.caseId?.rawValue,
                    requestId: e.requestId?.rawValue, responderId: e.responderId?.rawValue))
        case let e as TimerCancelled:
            return .success(TimerPayload(timerId: e.timerId.rawValue, caseId: e.caseId?.rawValue))
        default:
            return .failure(Problem(message: "\(type) is not a timer event"))
        }
    }
}

/// Timer payloads parsed when their append was checked (on the caller's task), kept until the
/// writer folds the same bytes into the index in the append's transaction: a timer event is parsed
/// once, not twice. Keyed by the payload's bytes, encoding, type and schema version, so a folded
/// payload is always the parse of exactly those bytes; a payload not found (an append that failed
/// its check elsewhere, a rebuild) is parsed again. Bounded: past ``limit`` entries (appends checked
/// and never written) it starts afresh.
final class CheckedTimerPayloads: Sendable {
    private let entries = Mutex([TimerPayload.Key: TimerPayload]())
    /// The most payloads kept.
    let limit = 4_096

    func remember(_ payload: TimerPayload, for key: TimerPayload.Key) {
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = payload
        }
    }

    /// The payload parsed for `key`, removed.
    func take(_ key: TimerPayload.Key) -> TimerPayload? {
        entries.withLock { $0.removeValue(forKey: key) }
    }
}
