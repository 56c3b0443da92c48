import LMDB

/// What ``EventStore/verify(progress:)`` found.
public struct VerificationReport: Sendable {
    /// One thing wrong, at a position when it belongs to one.
    public struct Problem: Sendable, CustomStringConvertible {
        /// The first position concerned, if any.
        public var position: UInt64?
        /// What is wrong.
        public var message: String

        public var description: String {
            if let position { return "position \(position): \(message)" }
            return message
        }
    }

    /// The head of the log as verified (the last good record when the chain breaks).
    public var head: LogHead
    /// Records checked.
    public var events: UInt64
    /// Streams checked.
    public var streams: UInt64
    /// Problems, the first one first. Verification stops at the first broken record.
    public var problems: [Problem]

    /// Whether everything checked out.
    public var isValid: Bool { problems.isEmpty }
}

extension EventStore {
    /// Walks the whole log and its indexes:
    /// - positions are dense from 1; every record is well formed;
    /// - every record's chain hash equals SHA-256(previous hash ‖ position ‖ bytes);
    /// - stream versions are dense from 1 and each (version, stream) index entry names its record;
    /// - every event id's index entry names its record;
    /// - the indexes hold nothing else, and every stream head matches the log.
    ///
    /// Reads in chunks, so it runs beside a live writer (it verifies the log up to the head it saw
    /// when it started). Stops at the first broken record and names it.
    public func verify(progress: ((UInt64) -> Void)? = nil) throws -> VerificationReport {
        let target = try head().position
        var previous = Hash32.zero
        var expected: UInt64 = 1
        var streams: [String: (number: UInt64, version: UInt64, last: UInt64, first: UInt64)] = [:]
        var problem: VerificationReport.Problem?
        let chunk = max(1, options.readChunkSize) * 4

        while problem == nil, expected <= target {
            try environment.read { txn in
                try txn.withCursor(databases.events) { cursor in
                    var key = Keys.position(expected)
                    var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
                    var count = 0
                    while let e = entry, count < chunk, expected <= target {
                        let position = Bytes.loadBE(e.key)
                        if let p = checkRecord(
                            position, expected: expected, e.value, previous: previous, streams: &streams, txn)
                        {
                            problem = p
                            return
                        }
                        previous = Hash32(EventView(position: position, bytes: e.value).hashBytes)
                        expected += 1
                        count += 1
                        entry = try cursor.next()
                    }
                    if entry == nil && expected <= target {
                        problem = .init(
                            position: expected, message: "missing from the log (the log ends at \(expected - 1))")
                    }
                }
            }
            progress?(expected - 1)
        }
        let checked = expected - 1
        let head = LogHead(position: checked, hash: previous.array)
        if let problem {
            return VerificationReport(head: head, events: checked, streams: UInt64(streams.count), problems: [problem])
        }
        let problems = try checkIndexes(streams: streams, events: checked)
        return VerificationReport(head: head, events: checked, streams: UInt64(streams.count), problems: problems)
    }

    private func checkRecord(
        _ position: UInt64,
        expected: UInt64,
        _ bytes: UnsafeRawBufferPointer,
        previous: Hash32,
        streams: inout [String: (number: UInt64, version: UInt64, last: UInt64, first: UInt64)],
        _ txn: borrowing Transaction
    ) -> VerificationReport.Problem? {
        func problem(_ message: String) -> VerificationReport.Problem { .init(position: expected, message: message) }
        guard position == expected else {
            return problem("missing: the next record in the log is at position \(position)")
        }
        if let malformed = EventView.validate(bytes) { return problem("malformed record: \(malformed)") }
        let view = EventView(position: position, bytes: bytes)
        let computed = RecordLayout.chainHash(previous: previous, position: position, body: view.hashedBytes)
        guard computed == Hash32(view.hashBytes) else {
            return problem(
                "hash mismatch: stored \(Bytes.hex(view.hashBytes)), computed \(Bytes.hex(computed.array)) — the record or its predecessor's hash was changed"
            )
        }
        let stream = view.stream
        let known = streams[stream]
        let version = view.version
        guard version == (known?.version ?? 0) + 1 else {
            return problem("stream '\(stream)' version \(version) follows version \(known?.version ?? 0)")
        }
        do {
            let number = try known?.number ?? Self.streamHead(stream, txn, databases)?.number
            guard let number else { return problem("stream '\(stream)' has no head in the streams database") }
            guard try Keys.streamIndexLookup(version: version, stream: number, txn, databases) == position else {
                return problem("the stream index entry for '\(stream)' version \(version) does not name this position")
            }
            let id = view.id
            let idEntry = try withUnsafeBytes(of: id.uuid) { try txn.get(databases.eventIds, key: $0) }
            guard let idEntry, Bytes.loadLE(idEntry, at: 0, as: UInt64.self) == position else {
                return problem("the eventIds entry for \(id.uuidString.lowercased()) does not name this position")
            }
            streams[stream] = (number, version, position, known?.first ?? position)
        } catch {
            return problem("reading the indexes failed: \(error)")
        }
        return nil
    }

    private func checkIndexes(
        streams: [String: (number: UInt64, version: UInt64, last: UInt64, first: UInt64)],
        events: UInt64
    ) throws -> [VerificationReport.Problem] {
        try environment.read { txn in
            var problems: [VerificationReport.Problem] = []
            let indexEntries = try txn.statistics(databases.streamIndex).entries
            let idEntries = try txn.statistics(databases.eventIds).entries
            let headEntries = try txn.statistics(databases.streams).entries
            // A live writer may have appended since verification began: compare with what was checked.
            let logEntries = try txn.statistics(databases.events).entries
            if logEntries == Int(events) {
                if indexEntries != Int(events) {
                    problems.append(.init(message: "the stream index has \(indexEntries) entries for \(events) events"))
                }
                if idEntries != Int(events) {
                    problems.append(.init(message: "the eventIds index has \(idEntries) entries for \(events) events"))
                }
                if headEntries != streams.count {
                    problems.append(
                        .init(message: "the streams database has \(headEntries) heads for \(streams.count) streams"))
                }
                for (name, s) in streams.sorted(by: { $0.value.last < $1.value.last }) {
                    guard let head = try Self.streamHead(name, txn, databases) else { continue }
                    if head.version != s.version || head.lastPosition != s.last || head.firstPosition != s.first
                        || head.number != s.number
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
            }
            return problems
        }
    }
}
