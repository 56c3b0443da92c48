import LMDB

/// An error from the event store: a code to match on, a message that names the stream, field or
/// position concerned, and the underlying cause when there is one.
public struct EventStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A stream's version was not what the append expected. Nothing was written.
        public static let wrongExpectedVersion = Code("wrong expected version")
        /// Some of an append's event ids are stored already and some are not. Nothing was written.
        public static let idempotencyConflict = Code("idempotency conflict")
        /// An event is malformed (empty stream, oversized payload, …). Nothing was written.
        public static let invalidEvent = Code("invalid event")
        /// The store was written by a newer format than this build reads.
        public static let unsupportedFormat = Code("unsupported format")
        /// The stored data is damaged (found by reading or by verification).
        public static let corrupted = Code("corrupted")
        /// LMDB failed.
        public static let storage = Code("storage")
        /// The store is closed.
        public static let closed = Code("closed")
        /// A request names something that does not exist.
        public static let notFound = Code("not found")
        /// Another process is writing to the store (Vigil lets one process write at a time).
        public static let busy = Code("busy")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error & Sendable)?
    /// The index, in its append, of the event at fault, when it is one event's.
    public let eventIndex: Int?

    /// An error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, eventIndex: Int? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.eventIndex = eventIndex
    }

    public var description: String {
        guard let cause else { return message }
        // An error Vigil described itself is in the message already.
        if let lmdb = cause as? LMDBError, lmdb.detail != nil { return message }
        return "\(message) (\(cause))"
    }

    /// Whether storage failed for want of space (a full disk, an exhausted quota, the map's size
    /// limit): nothing was written, and the same write can succeed once space is freed.
    public var meansNoSpace: Bool {
        guard code == .storage, let lmdb = cause as? LMDBError else { return false }
        return [.noSpace, .quotaExceeded, .mapFull].contains(lmdb.code)
    }

    /// What to do about a damaged store.
    public static let remedy =
        "stop using the store, keep it aside for inspection, and restore the latest backup (vigil backup) or "
        + "re-import an export"

    /// How a message about damage found while reading ends: that the store is damaged, and ``remedy``.
    public static let restoreRemedy = " — the store is damaged: " + remedy

    /// A failure of the storage below the log, with its cause in plain words (the disk is full, the
    /// size limit was reached, the file is damaged, …).
    static func storage(_ error: any Error) -> EventStoreError {
        if let e = error as? EventStoreError { return e }
        if let e = error as? LMDBError {
            if e.meansDamage { return EventStoreError(.corrupted, e.cause + " — " + remedy, cause: e) }
            switch e.code {
            case .writerActive: return EventStoreError(.busy, e.cause, cause: e)
            case .lockFileMissing: return EventStoreError(.corrupted, e.cause, cause: e)
            default: break
            }
            var message = "storage failed: \(e.cause)"
            switch e.code {
            case .noSpace, .quotaExceeded: message += "; free space on the store's disk and retry"
            case .mapFull: message += "; the map cannot grow further (Environment.Options.maxMapSize)"
            default: break
            }
            return EventStoreError(.storage, message, cause: e)
        }
        return EventStoreError(.storage, "\(error)")
    }
}

extension EventStoreError.Code {
    /// Lets `catch EventStoreError.Code.wrongExpectedVersion` match an error by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? EventStoreError)?.code == pattern
    }
}
