import LMDB

/// What ``EventStore/verify(deep:progress:)`` found.
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

        /// A problem.
        public init(position: UInt64? = nil, message: String) {
            self.position = position
            self.message = message
        }
    }

    /// The head of the log as verified (the last good record when the chain breaks).
    public var head: LogHead
    /// Records checked.
    public var events: UInt64
    /// Streams checked.
    public var streams: UInt64
    /// With a deep verification: the pages of the data file walked.
    public var pages: Int?
    /// Problems, the first one first. Verification stops at the first broken record.
    public var problems: [Problem]

    /// Whether everything checked out.
    public var isValid: Bool { problems.isEmpty }

    /// A report.
    public init(head: LogHead, events: UInt64, streams: UInt64, pages: Int? = nil, problems: [Problem]) {
        self.head = head
        self.events = events
        self.streams = streams
        self.pages = pages
        self.problems = problems
    }
}

extension EventStore {
    /// Checks every path a reader takes to an event, and the hash chain:
    ///
    /// - the log, walked in order: positions dense from 1, every record well formed, every chain
    ///   hash equal to SHA-256(previous hash ‖ position ‖ bytes);
    /// - each record found again **by position** (a search from the root, which a cursor walk never
    ///   makes: a damaged branch key shows here), **by stream and version** (the stream index) and
    ///   **by id** (`eventIds`), each landing on that very record;
    /// - every index entry pointing at a record that points back: each index holds exactly one entry
    ///   per event (counted by walking it), so with every record's own entry found, none is stray;
    /// - every stream head as the log says, found by its name.
    ///
    /// With `deep`, also walks every page of the data file (``LMDB/Environment/checkPages()``): every
    /// B-tree of every database, the free list, and the accounting of the file's pages.
    ///
    /// Reads in chunks, so it runs beside a live writer; it verifies the log up to the head it saw
    /// when it started. Stops at the first broken record and names it. Damage LMDB itself reports
    /// on the way (`MDB_CORRUPTED`, a page past the end) is a problem at the position being read,
    /// not a thrown error.
    public func verify(deep: Bool = false, progress: ((UInt64) -> Void)? = nil) throws -> VerificationReport {
        var pages: Int?
        if deep {
            // The page walk reads the file itself, so it cannot be stopped by damage; when it finds
            // some, LMDB is not asked to walk the damaged trees.
            let check = environment.checkPages()
            pages = check.pages
            if !check.isValid {
                return VerificationReport(
                    head: LogHead(position: 0, hash: Hash32.zero.array), events: 0, streams: 0, pages: pages,
                    problems: check.problems.map { .init(message: "data.mdb: \($0)") })
            }
        }
        let target = try head().position
        var verifier = LogVerifier(databases: databases)
        let chunk = max(1, options.readChunkSize) * 4

        while verifier.problem == nil, verifier.expected <= target {
            do {
                try environment.read { txn in
                    try txn.withCursor(databases.events) { cursor in
                        var key = Keys.position(verifier.expected)
                        var entry = try withUnsafeBytes(of: &key) { try cursor.seek(atLeast: $0) }
                        var count = 0
                        while let e = entry, count < chunk, verifier.expected <= target {
                            guard verifier.check(Bytes.loadBE(e.key), e.value, txn) else { return }
                            count += 1
                            entry = try cursor.next()
                        }
                        if entry == nil && verifier.expected <= target {
                            verifier.fail("missing from the log (the log ends at \(verifier.expected - 1))")
                        }
                    }
                }
            } catch {
                verifier.fail("reading the log failed: \(EventStoreError.storage(error).message)")
            }
            progress?(verifier.expected - 1)
        }
        var problems = verifier.problem.map { [$0] } ?? []
        if problems.isEmpty {
            do {
                problems = try environment.read { txn in try verifier.checkIndexes(txn) }
            } catch {
                problems = [.init(message: "reading the indexes failed: \(EventStoreError.storage(error).message)")]
            }
        }
        return VerificationReport(
            head: verifier.head, events: verifier.expected - 1, streams: UInt64(verifier.streams.count), pages: pages,
            problems: problems)
    }
}
