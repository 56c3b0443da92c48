import Foundation
import LMDB

/// The state of one write transaction of the group-commit writer: where the log ends, the chain
/// hash to extend, and the stream heads touched so far. Applies appends one after the other; an
/// append whose preconditions fail writes nothing and leaves the others unaffected.
struct LogWriter {
    let dbs: Databases
    let ids: UUIDv7Generator
    let recordedAt: Timestamp
    private(set) var nextPosition: UInt64
    private var previousHash: [UInt8]
    private var nextStreamNumber: UInt64
    private var heads: [String: StreamHead] = [:]
    private var dirtyHeads: Set<String> = []

    init(_ txn: borrowing Transaction, dbs: Databases, ids: UUIDv7Generator, clock: Timestamp) throws {
        self.dbs = dbs
        self.ids = ids
        var lastPosition: UInt64 = 0
        var lastRecordedAt = Timestamp(microseconds: .min)
        var hash = RecordLayout.zeroHash
        try txn.withCursor(dbs.events) { cursor in
            if let last = try cursor.last() {
                lastPosition = Bytes.loadBE(last.key)
                let view = EventView(position: lastPosition, bytes: last.value)
                if let problem = EventView.validate(last.value) {
                    throw EventStoreError(.corrupted, "position \(lastPosition): \(problem)")
                }
                hash = Array(view.hashBytes)
                lastRecordedAt = view.recordedAt
            }
        }
        nextPosition = lastPosition + 1
        previousHash = hash
        // recordedAt never goes backwards along the log, even if the wall clock does.
        recordedAt = max(clock, lastRecordedAt)
        if let stored = try txn.get(dbs.meta, key: Keys.nextStreamNumberKey), stored.count == 8 {
            nextStreamNumber = stored.withUnsafeBytes { Bytes.loadLE($0, at: 0, as: UInt64.self) }
        } else {
            nextStreamNumber = 1
        }
    }

    /// Applies one append. Precondition failures come back as `.failure`; storage errors throw and
    /// fail the whole transaction.
    mutating func apply(_ append: PreparedAppend, _ txn: borrowing Transaction) throws -> Result<
        AppendResult, EventStoreError
    > {
        let request = append.request
        if let replay = try idempotentReplay(request, txn) { return replay }
        for (stream, expected) in request.expectations {
            let found = try head(of: stream, txn)?.version
            if let failure = Self.check(expected, found: found, stream: stream) { return .failure(failure) }
        }
        if request.events.contains(where: { $0.expectedVersion != nil }) {
            var versions: [String: UInt64] = [:]
            for (index, event) in request.events.enumerated() {
                let before = try versions[event.stream] ?? head(of: event.stream, txn)?.version ?? 0
                if let expected = event.expectedVersion,
                    let failure = Self.check(
                        expected, found: before == 0 ? nil : before, stream: event.stream, event: index)
                {
                    return .failure(failure)
                }
                versions[event.stream] = before + 1
            }
        }
        var appended: [AppendedEvent] = []
        appended.reserveCapacity(request.events.count)
        let millis = UInt64(max(0, recordedAt.microseconds / 1000))
        for (index, event) in request.events.enumerated() {
            let position = nextPosition
            var head =
                try head(of: event.stream, txn)
                ?? StreamHead(
                    stream: event.stream, number: takeStreamNumber(), version: 0, lastPosition: 0,
                    firstPosition: position)
            let version = head.version + 1
            let generated = event.id == nil
            let id = event.id ?? ids.next(unixMillis: millis)
            let strings = append.strings[index]
            let size = RecordLayout.size(of: strings, metadata: event.metadata.count, payload: event.payload.count)
            var key = Keys.position(position)
            previousHash = try withUnsafeBytes(of: &key) { k in
                try txn.reserve(dbs.events, key: k, count: size, flags: .append) { out in
                    previousHash.withUnsafeBytes { prev in
                        RecordLayout.write(
                            event, strings: strings, id: id, version: version, position: position,
                            recordedAt: recordedAt, previousHash: prev, into: out)
                    }
                }
            }
            var indexKey = Keys.streamIndex(version: version, stream: head.number)
            var value = position.littleEndian
            try withUnsafeBytes(of: &indexKey) { k in
                try withUnsafeBytes(of: &value) { v in
                    try txn.put(dbs.streamIndex, key: k, value: v, flags: .noOverwrite)
                }
            }
            try putEventID(id, generated: generated, position: position, txn)
            head.version = version
            head.lastPosition = position
            heads[event.stream] = head
            dirtyHeads.insert(event.stream)
            nextPosition += 1
            appended.append(AppendedEvent(id: id, stream: event.stream, version: version, position: position))
        }
        return .success(AppendResult(events: appended, alreadyStored: false, recordedAt: recordedAt))
    }

    /// Writes the stream heads and the stream counter; call once, after the last ``apply(_:_:)``.
    mutating func finish(_ txn: borrowing Transaction) throws {
        for stream in dirtyHeads {
            guard let head = heads[stream] else { continue }
            var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &bytes) { head.encode(into: $0.baseAddress!) }
            try Array(stream.utf8).withUnsafeBytes { k in
                try withUnsafeBytes(of: &bytes) { v in try txn.put(dbs.streams, key: k, value: v) }
            }
        }
        var counter = nextStreamNumber.littleEndian
        try Keys.nextStreamNumberKey.withUnsafeBytes { k in
            try withUnsafeBytes(of: &counter) { v in try txn.put(dbs.meta, key: k, value: v) }
        }
    }

    // MARK: - Pieces

    private mutating func takeStreamNumber() -> UInt64 {
        defer { nextStreamNumber += 1 }
        return nextStreamNumber
    }

    private mutating func head(of stream: String, _ txn: borrowing Transaction) throws -> StreamHead? {
        if let cached = heads[stream] { return cached }
        let loaded = try Array(stream.utf8).withUnsafeBytes { k in
            try txn.get(dbs.streams, key: k).map { StreamHead(stream: stream, decoding: $0) }
        }
        if let loaded { heads[stream] = loaded }
        return loaded
    }

    private func putEventID(_ id: UUID, generated: Bool, position: UInt64, _ txn: borrowing Transaction) throws {
        var value = position.littleEndian
        try withUnsafeBytes(of: id.uuid) { k in
            try withUnsafeBytes(of: &value) { v in
                if generated {
                    // UUIDv7 ids increase, so they usually append; a clock step back falls through.
                    do {
                        try txn.put(dbs.eventIds, key: k, value: v, flags: .append)
                        return
                    } catch LMDBError.Code.keyExists {}
                }
                try txn.put(dbs.eventIds, key: k, value: v, flags: .noOverwrite)
            }
        }
    }

    /// When every event id of the request is stored: the original placements. When only some are: a
    /// conflict. When none are (or the request has no ids): `nil`, go ahead.
    private func idempotentReplay(_ request: AppendRequest, _ txn: borrowing Transaction) throws -> Result<
        AppendResult, EventStoreError
    >? {
        var stored: [AppendedEvent] = []
        var fresh: [UUID] = []
        var seen = Set<UUID>()
        var recordedAt = self.recordedAt
        for event in request.events {
            guard let id = event.id else {
                fresh.append(UUID())
                continue
            }
            guard seen.insert(id).inserted else {
                return .failure(
                    EventStoreError(.invalidEvent, "event id \(id.uuidString.lowercased()) appears twice in one append")
                )
            }
            let position = try withUnsafeBytes(of: id.uuid) { k in
                try txn.get(dbs.eventIds, key: k).map { Bytes.loadLE($0, at: 0, as: UInt64.self) }
            }
            guard let position else {
                fresh.append(id)
                continue
            }
            var key = Keys.position(position)
            guard let record = try withUnsafeBytes(of: &key, { try txn.get(dbs.events, key: $0) }) else {
                throw EventStoreError(.corrupted, "eventIds names position \(position), which is not in the log")
            }
            let view = EventView(position: position, bytes: record)
            recordedAt = view.recordedAt
            stored.append(AppendedEvent(id: id, stream: view.stream, version: view.version, position: position))
        }
        if stored.isEmpty { return nil }
        if fresh.isEmpty { return .success(AppendResult(events: stored, alreadyStored: true, recordedAt: recordedAt)) }
        let first = stored[0]
        return .failure(
            EventStoreError(
                .idempotencyConflict,
                "event id \(first.id.uuidString.lowercased()) is already stored at position \(first.position), "
                    + "but \(fresh.count) other event(s) of this append are not: retry an append whole, with the same events"
            ))
    }

    static func check(_ expected: ExpectedVersion, found: UInt64?, stream: String, event: Int? = nil)
        -> EventStoreError?
    {
        let ok: Bool
        switch expected {
        case .any: ok = true
        case .noStream: ok = found == nil
        case .streamExists: ok = found != nil
        case .exactly(let v): ok = (found ?? 0) == v
        }
        if ok { return nil }
        let actual = found.map { "version \($0)" } ?? "no stream"
        let which = event.map { "events[\($0)]: " } ?? ""
        return EventStoreError(
            .wrongExpectedVersion, "\(which)stream '\(stream)': expected \(expected), found \(actual)",
            eventIndex: event)
    }
}
