import Foundation
import LMDB

/// The state of one write transaction of the group-commit writer: where the log ends, the chain
/// hash to extend, and the stream heads touched so far. Applies appends one after the other; an
/// append whose preconditions fail writes nothing and leaves the others unaffected.
///
/// This is the hot path of every append: one dictionary lookup per event, no heap allocation per
/// event beyond the result, and the record written in place into LMDB's page (`MDB_RESERVE`).
struct LogWriter {
    let dbs: Databases
    let ids: UUIDv7Generator
    let recordedAt: Timestamp
    let projections: [any InlineProjection]
    private(set) var nextPosition: UInt64
    private var previousHash: Hash32
    /// The recordedAt of the last record written (or found at the end of the log).
    private var lastRecordedAt: Timestamp
    private var nextStreamNumber: UInt64
    /// The stream counter as stored when the transaction began (`nil`: none stored yet).
    private let storedStreamNumber: UInt64?
    /// Stream name → index into `heads`.
    private var slots: [String: Int] = [:]
    private var heads: [Slot] = []

    private struct Slot {
        var head: StreamHead
        var dirty: Bool
    }

    init(
        _ txn: borrowing Transaction,
        dbs: Databases,
        ids: UUIDv7Generator,
        clock: Timestamp,
        projections: [any InlineProjection] = [],
        expectedEvents: Int = 0
    ) throws {
        self.dbs = dbs
        // At most one stream per event: room for them up front, not regrown (and rehashed) on the way.
        slots.reserveCapacity(min(expectedEvents, 1 << 16))
        heads.reserveCapacity(min(expectedEvents, 1 << 16))
        self.ids = ids
        self.projections = projections
        var lastPosition: UInt64 = 0
        var lastRecordedAt = Timestamp(microseconds: .min)
        var hash = Hash32.zero
        try txn.withCursor(dbs.events) { cursor in
            if let last = try cursor.last() {
                lastPosition = Bytes.loadBE(last.key)
                if let problem = EventView.validate(last.value) {
                    throw EventStoreError(.corrupted, "position \(lastPosition): \(problem)")
                }
                let view = EventView(position: lastPosition, bytes: last.value)
                hash = Hash32(view.hashBytes)
                lastRecordedAt = view.recordedAt
            }
        }
        try EventStore.alignInlineProjections(projections, head: lastPosition, txn, dbs)
        nextPosition = lastPosition + 1
        previousHash = hash
        self.lastRecordedAt = lastRecordedAt
        // recordedAt never goes backwards along the log, even if the wall clock does.
        recordedAt = max(clock, lastRecordedAt)
        if let stored = try txn.get(dbs.meta, key: Keys.nextStreamNumberKey), stored.count == 8 {
            nextStreamNumber = stored.withUnsafeBytes { Bytes.loadLE($0, at: 0, as: UInt64.self) }
            storedStreamNumber = nextStreamNumber
        } else {
            nextStreamNumber = 1
            storedStreamNumber = nil
        }
    }

    /// Applies one append. Precondition failures come back as `.failure`; storage errors throw and
    /// fail the whole transaction.
    mutating func apply(
        _ append: PreparedAppend,
        _ txn: borrowing Transaction
    ) throws -> Result<AppendResult, EventStoreError> {
        let request = append.request
        if let replay = try idempotentReplay(request, txn) { return replay }
        if let failure = try checkExpectations(append, txn) { return .failure(failure) }

        guard append.isRestore else {
            let appended = try write(append, txn)
            return .success(AppendResult(events: appended, alreadyStored: false, recordedAt: recordedAt))
        }
        // A restore checks each record against its original hash only after writing it: write it in a
        // nested transaction so a mismatch undoes this restore alone, not the group commit around it.
        let saved = self
        do {
            let appended = try txn.nested { child in try self.write(append, child) }
            return .success(AppendResult(events: appended, alreadyStored: false, recordedAt: lastRecordedAt))
        } catch let failure as RestoreFailure {
            self = saved
            return .failure(EventStoreError(.invalidEvent, failure.message, eventIndex: failure.index))
        }
    }

    /// Writes the append's events: records, stream index and event ids.
    private mutating func write(_ append: PreparedAppend, _ txn: borrowing Transaction) throws -> [AppendedEvent] {
        let events = append.request.events
        var appended: [AppendedEvent] = []
        appended.reserveCapacity(events.count)
        let millis = UInt64(max(0, recordedAt.microseconds / 1000))
        for index in events.indices {
            let position = nextPosition
            var recordedAt = self.recordedAt
            if let restore = events[index].restore {
                guard restore.position == position else {
                    throw RestoreFailure(
                        index: index,
                        message:
                            "events[\(index)]: restores position \(restore.position), but the log ends at \(position - 1)"
                    )
                }
                guard restore.recordedAt >= lastRecordedAt else {
                    throw RestoreFailure(
                        index: index,
                        message:
                            "events[\(index)]: recordedAt \(restore.recordedAt) is before the previous record's \(lastRecordedAt)"
                    )
                }
                recordedAt = restore.recordedAt
            }
            let slot = try slot(for: events[index].stream, txn, creatingAt: position)
            let version = heads[slot].head.version + 1
            let generated = events[index].id == nil
            let id = events[index].id ?? ids.next(unixMillis: millis)
            let size = RecordLayout.size(of: events[index])
            let previous = previousHash
            var key = Keys.position(position)
            previousHash = try withUnsafeBytes(of: &key) { k in
                try txn.reserve(dbs.events, key: k, count: size, flags: .append) { out in
                    // Through the buffer, the event is read in place (an element read out of the
                    // array by value is a copy: five retains and as many releases).
                    events.withUnsafeBufferPointer { events in
                        RecordLayout.write(
                            events[index], id: id, version: version, position: position, recordedAt: recordedAt,
                            previousHash: previous, into: out)
                    }
                }
            }
            if let expected = events[index].restore?.hash, expected != previousHash.array {
                throw RestoreFailure(
                    index: index,
                    message:
                        "events[\(index)]: position \(position) hashes to \(Hex.encode(previousHash.array)), not the exported \(Hex.encode(expected)): the export was changed or comes from another log"
                )
            }
            var indexKey = Keys.streamIndexKey(version: version)
            var indexValue = Keys.streamIndexValue(stream: heads[slot].head.number, position: position)
            try withUnsafeBytes(of: &indexKey) { k in
                try withUnsafeBytes(of: &indexValue) { v in
                    try txn.put(dbs.streamIndex, key: k, value: v, flags: .noDuplicateData)
                }
            }
            try putEventID(id, generated: generated, position: position, txn)
            if !projections.isEmpty {
                let event = events[index]
                let written = WrittenEvent(
                    position: position, stream: event.stream, version: version, id: id, type: event.type,
                    schemaVersion: event.schemaVersion, occurredAt: event.occurredAt, recordedAt: recordedAt,
                    payload: event.payload, payloadEncoding: event.payloadEncoding)
                for projection in projections { try projection.apply(written, txn) }
            }
            heads[slot].head.version = version
            heads[slot].head.lastPosition = position
            heads[slot].dirty = true
            nextPosition += 1
            lastRecordedAt = recordedAt
            appended.append(
                AppendedEvent(id: id, stream: events[index].stream, version: version, position: position))
        }
        return appended
    }

    /// Writes the stream heads and the stream counter; call once, after the last ``apply(_:_:)``.
    mutating func finish(_ txn: borrowing Transaction) throws {
        for slot in heads where slot.dirty {
            var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &bytes) { slot.head.encode(into: $0.baseAddress!) }
            var name = slot.head.stream
            try name.withUTF8 { k in
                try withUnsafeBytes(of: &bytes) { v in
                    try txn.put(dbs.streams, key: UnsafeRawBufferPointer(k), value: v)
                }
            }
        }
        // Every projection's checkpoint was at the old head (init aligned it) and has folded every
        // event written since, so it stands at the new head.
        if nextPosition > 1 {
            for projection in projections {
                try EventStore.setCheckpoint(projection.name, nextPosition - 1, txn, dbs)
            }
        }
        // Most commits make no stream: leaving the counter alone spares the meta database's pages
        // a copy in every transaction.
        guard nextStreamNumber != storedStreamNumber else { return }
        var counter = nextStreamNumber.littleEndian
        try Keys.nextStreamNumberKey.withUnsafeBytes { k in
            try withUnsafeBytes(of: &counter) { v in try txn.put(dbs.meta, key: k, value: v) }
        }
    }

    // MARK: - Stream heads

    /// The slot of `stream`'s head, loading it from the `streams` database on first use in this
    /// transaction, or creating a new stream (numbered now, first event at `position`).
    private mutating func slot(
        for stream: String,
        _ txn: borrowing Transaction,
        creatingAt position: UInt64
    ) throws -> Int {
        // One hash of the name: the entry is made (as the next slot) by the lookup when missing.
        var missing = false
        let slot = Self.entry(&slots[stream, default: -1], next: heads.count, missing: &missing)
        guard missing else { return slot }
        let loaded = try stream.withUTF8Bytes { k in
            try txn.get(dbs.streams, key: k).map { StreamHead(stream: stream, decoding: $0) }
        }
        if let loaded {
            heads.append(Slot(head: loaded, dirty: false))
        } else {
            heads.append(
                Slot(
                    head: StreamHead(
                        stream: stream, number: nextStreamNumber, version: 0, lastPosition: 0,
                        firstPosition: position),
                    dirty: true))
            nextStreamNumber += 1
        }
        return slot
    }

    @inline(__always)
    private static func entry(_ value: inout Int, next: Int, missing: inout Bool) -> Int {
        if value < 0 {
            value = next
            missing = true
        }
        return value
    }

    private mutating func existingSlot(for stream: String, _ txn: borrowing Transaction) throws -> Int? {
        if let slot = slots[stream] { return slot }
        let loaded = try stream.withUTF8Bytes { k in
            try txn.get(dbs.streams, key: k).map { StreamHead(stream: stream, decoding: $0) }
        }
        guard let loaded else { return nil }
        heads.append(Slot(head: loaded, dirty: false))
        slots[stream] = heads.count - 1
        return heads.count - 1
    }

    private mutating func version(of stream: String, _ txn: borrowing Transaction) throws -> UInt64? {
        try existingSlot(for: stream, txn).map { heads[$0].head.version }
    }

    // MARK: - Preconditions

    /// The first failed expected version (per stream before the append, then per event), or `nil`.
    private mutating func checkExpectations(_ append: PreparedAppend, _ txn: borrowing Transaction) throws
        -> EventStoreError?
    {
        let request = append.request
        for (stream, expected) in request.expectations {
            let found = try version(of: stream, txn)
            if let failure = Self.check(expected, found: found, stream: stream) { return failure }
        }
        guard request.events.contains(where: { $0.expectedVersion != nil }) else { return nil }
        var versions: [String: UInt64] = [:]
        for (index, event) in request.events.enumerated() {
            let before = try versions[event.stream] ?? version(of: event.stream, txn) ?? 0
            if let expected = event.expectedVersion,
                let failure = Self.check(
                    expected, found: before == 0 ? nil : before, stream: event.stream, event: index)
            {
                return failure
            }
            versions[event.stream] = before + 1
        }
        return nil
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

    // MARK: - Event ids

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

    /// When every event id of the request is stored, and each stored event is the very event sent
    /// (``EventView/difference(from:)``): the original placements. When an id is stored for a
    /// different event, or only some ids are stored: a conflict naming the events. When none are
    /// (or the request has no ids): `nil`, go ahead.
    private func idempotentReplay(
        _ request: AppendRequest,
        _ txn: borrowing Transaction
    ) throws -> Result<AppendResult, EventStoreError>? {
        guard request.events.contains(where: { $0.id != nil }) else { return nil }
        var stored: [AppendedEvent] = []
        var firstStored: Int?
        var firstFresh: Int?
        var seen = Set<UUID>()
        var recordedAt = self.recordedAt
        for (index, event) in request.events.enumerated() {
            guard let id = event.id else {
                firstFresh = firstFresh ?? index
                continue
            }
            guard seen.insert(id).inserted else {
                return .failure(
                    EventStoreError(
                        .invalidEvent,
                        "events[\(index)]: event id \(id.lowercaseText) appears twice in one append",
                        eventIndex: index))
            }
            let position = try withUnsafeBytes(of: id.uuid) { k in
                try txn.get(dbs.eventIds, key: k).map { Bytes.loadLE($0, at: 0, as: UInt64.self) }
            }
            guard let position else {
                firstFresh = firstFresh ?? index
                continue
            }
            var key = Keys.position(position)
            guard let record = try withUnsafeBytes(of: &key, { try txn.get(dbs.events, key: $0) }) else {
                throw EventStoreError(
                    .corrupted,
                    "eventIds names position \(position) for event id \(id.lowercaseText), which is not in the log"
                        + EventStoreError.restoreRemedy)
            }
            if let problem = EventView.validate(record) {
                throw EventStoreError(.corrupted, "position \(position): \(problem)" + EventStoreError.restoreRemedy)
            }
            let view = EventView(position: position, bytes: record)
            // A retry carries the same event; the same id on a different event is a client bug, and
            // answering it as a retry would drop the new event.
            if let difference = view.difference(from: event) {
                return .failure(
                    EventStoreError(
                        .idempotencyConflict,
                        "events[\(index)]: event id \(id.lowercaseText) is already stored at position "
                            + "\(position) as a different event (\(difference)): an id names one event, so a retry "
                            + "must send the same event and a new event needs a new id",
                        eventIndex: index))
            }
            firstStored = firstStored ?? index
            recordedAt = view.recordedAt
            stored.append(AppendedEvent(id: id, stream: view.stream, version: view.version, position: position))
        }
        guard let firstStored else { return nil }
        guard let firstFresh else {
            return .success(AppendResult(events: stored, alreadyStored: true, recordedAt: recordedAt))
        }
        let fresh =
            request.events[firstFresh].id.map { "id \($0.lowercaseText) is not stored" } ?? "it has no id"
        let storedID = request.events[firstStored].id!.lowercaseText
        return .failure(
            EventStoreError(
                .idempotencyConflict,
                "events[\(firstFresh)]: this event is new (\(fresh)), but events[\(firstStored)] of the same append "
                    + "is stored already (id \(storedID) at position \(stored[0].position)); \(stored.count) of the "
                    + "append's \(request.events.count) events are stored: a retry must repeat an append whole, "
                    + "with the same events",
                eventIndex: firstFresh))
    }
}

/// A restored event that does not match its original envelope.
private struct RestoreFailure: Error {
    let index: Int
    let message: String
}
