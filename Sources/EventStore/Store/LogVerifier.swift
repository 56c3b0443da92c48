import LMDB

/// The state of one verification walk (``EventStore/verify(deep:progress:)``): where the walk is,
/// the chain hash to extend, and what it learned of each stream.
struct LogVerifier {
    struct Stream {
        var number: UInt64
        var version: UInt64
        var last: UInt64
        var first: UInt64
    }

    let databases: Databases
    /// The next position the walk expects.
    private(set) var expected: UInt64 = 1
    private(set) var previous = Hash32.zero
    private(set) var streams: [String: Stream] = [:]
    /// The first problem found; the walk stops there.
    private(set) var problem: VerificationReport.Problem?

    init(databases: Databases) { self.databases = databases }

    /// The last good record.
    var head: LogHead { LogHead(position: expected - 1, hash: previous.array) }

    mutating func fail(_ message: String) {
        if problem == nil { problem = .init(position: expected, message: message) }
    }

    /// Checks the record the walk reached; false (and ``problem`` set) when it is bad.
    mutating func check(_ position: UInt64, _ bytes: UnsafeRawBufferPointer, _ txn: borrowing Transaction) -> Bool {
        guard position == expected else {
            fail(
                position > expected
                    ? "missing: the next record in the log is at position \(position)"
                    : "the log goes back to position \(position) after \(expected - 1): a damaged page repeats records")
            return false
        }
        if let malformed = EventView.validate(bytes) {
            fail("malformed record: \(malformed)")
            return false
        }
        let view = EventView(position: position, bytes: bytes)
        let computed = RecordLayout.chainHash(previous: previous, position: position, body: view.hashedBytes)
        guard computed == Hash32(view.hashBytes) else {
            fail(
                "hash mismatch: stored \(Hex.encode(view.hashBytes)), computed \(Hex.encode(computed.array)) — the record or its predecessor's hash was changed"
            )
            return false
        }
        if let message = checkPaths(view, bytes, txn) {
            fail(message)
            return false
        }
        previous = Hash32(view.hashBytes)
        expected += 1
        return true
    }

    /// The record found by position, by stream and version, and by id must be this one.
    private mutating func checkPaths(_ view: EventView, _ bytes: UnsafeRawBufferPointer, _ txn: borrowing Transaction)
        -> String?
    {
        let position = view.position
        let stream = view.stream
        let known = streams[stream]
        let version = view.version
        guard version == (known?.version ?? 0) + 1 else {
            return "stream '\(stream)' version \(version) follows version \(known?.version ?? 0)"
        }
        do {
            var key = Keys.position(position)
            let found = try withUnsafeBytes(of: &key) { try txn.get(databases.events, key: $0) }
            guard let found, found.baseAddress == bytes.baseAddress, found.count == bytes.count else {
                return found == nil
                    ? "cannot be found by its position (the events index leads elsewhere: a branch page is damaged)"
                    : "a search for this position finds another record (a branch page of the log is damaged)"
            }
            let number = try known?.number ?? EventStore.streamHead(stream, txn, databases)?.number
            guard let number else { return "stream '\(stream)' has no head in the streams database" }
            guard try Keys.streamIndexLookup(version: version, stream: number, txn, databases) == position else {
                return "the stream index entry for '\(stream)' version \(version) does not name this position"
            }
            let id = view.id
            let idEntry = try withUnsafeBytes(of: id.uuid) { try txn.get(databases.eventIds, key: $0) }
            guard let idEntry, idEntry.count == 8, Bytes.loadLE(idEntry, at: 0, as: UInt64.self) == position else {
                return "the eventIds entry for \(id.lowercaseText) does not name this position"
            }
            streams[stream] = Stream(number: number, version: version, last: position, first: known?.first ?? position)
        } catch {
            return "reading the indexes failed: \(EventStoreError.storage(error).message)"
        }
        return nil
    }

    /// After the walk: each index holds exactly one entry per event up to the verified head (so none
    /// is stray), and every stream head says what the log says.
    func checkIndexes(_ txn: borrowing Transaction) throws -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        let events = expected - 1
        // A live writer may have appended since the walk began: count what names a verified position.
        let indexEntries = try count(databases.streamIndex, txn) { Bytes.loadBE($0.value, at: 8) <= events }
        if indexEntries != events {
            problems.append(.init(message: "the stream index has \(indexEntries) entries for \(events) events"))
        }
        let idEntries = try count(databases.eventIds, txn) {
            $0.value.count == 8 && Bytes.loadLE($0.value, at: 0, as: UInt64.self) <= events
        }
        if idEntries != events {
            problems.append(.init(message: "the eventIds index has \(idEntries) entries for \(events) events"))
        }
        let heads = try count(databases.streams, txn) {
            $0.value.count == StreamHead.encodedSize && Bytes.loadLE($0.value, at: 24, as: UInt64.self) <= events
        }
        if heads != streams.count {
            problems.append(.init(message: "the streams database has \(heads) heads for \(streams.count) streams"))
        }
        for (name, s) in streams.sorted(by: { $0.value.last < $1.value.last }) {
            guard let head = try EventStore.streamHead(name, txn, databases) else {
                problems.append(.init(position: s.first, message: "stream '\(name)' has no head"))
                break
            }
            let current = head.lastPosition <= events
            if head.number != s.number || head.firstPosition != s.first
                || (current && (head.version != s.version || head.lastPosition != s.last))
                || (!current && head.version <= s.version)
            {
                problems.append(
                    .init(
                        position: s.last,
                        message:
                            "stream '\(name)' head says version \(head.version) at position \(head.lastPosition), the log says version \(s.version) at \(s.last)"
                    ))
                break
            }
        }
        return problems
    }

    /// Walks `database` (every duplicate too) and counts the entries `counts` accepts.
    private func count(
        _ database: Database,
        _ txn: borrowing Transaction,
        _ counts: (Cursor.Entry) -> Bool
    ) throws -> UInt64 {
        try txn.withCursor(database) { cursor in
            var n: UInt64 = 0
            var entry = try cursor.first()
            while let e = entry {
                if counts(e) { n += 1 }
                entry = try cursor.next()
            }
            return n
        }
    }
}
