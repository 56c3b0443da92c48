import CLMDB
import Glibc

/// An error from LMDB: the library's result code, `mdb_strerror`'s message, and what Vigil was doing.
///
/// Match on the code:
///
/// ```swift
/// do { try env.write { txn in … } }
/// catch LMDBError.Code.mapFull { … }
/// catch let error as LMDBError where error.code == .notFound { … }
/// ```
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An LMDB (or errno) result code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `MDB_KEYEXIST`: the key/data pair already exists.
        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        /// `MDB_NOTFOUND`: no such key/data pair.
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        /// `MDB_CORRUPTED`: the located page was the wrong type.
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        /// `MDB_PANIC`: a fatal error occurred earlier and the environment must be shut down.
        public static let panic = Code(rawValue: MDB_PANIC)
        /// `MDB_VERSION_MISMATCH`: the environment was written by an incompatible LMDB.
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        /// `MDB_INVALID`: the file is not an LMDB file.
        public static let invalid = Code(rawValue: MDB_INVALID)
        /// `MDB_MAP_FULL`: the environment's map size was reached.
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        /// `MDB_DBS_FULL`: too many named databases.
        public static let databasesFull = Code(rawValue: MDB_DBS_FULL)
        /// `MDB_READERS_FULL`: too many reader slots in use.
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        /// `MDB_MAP_RESIZED`: another process grew the map; this one must adopt the new size.
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        /// `MDB_INCOMPATIBLE`: the database was opened with flags it was not created with.
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        /// `MDB_BAD_TXN`: the transaction must be aborted (an earlier operation failed).
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        /// `MDB_BAD_VALSIZE`: a key or value has an unsupported size.
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        /// `EACCES`: a write was attempted in a read-only transaction or environment.
        public static let permissionDenied = Code(rawValue: 13)
        /// `ENOENT`: the directory does not exist.
        public static let noSuchFile = Code(rawValue: 2)
        /// `MDB_PAGE_NOTFOUND`: a page number points past the end of the data (damage).
        public static let pageNotFound = Code(rawValue: MDB_PAGE_NOTFOUND)
        /// `EIO`: the device reported an I/O error.
        public static let ioError = Code(rawValue: EIO)
        /// `ENOSPC`: no space left on the device.
        public static let noSpace = Code(rawValue: ENOSPC)
        /// `EDQUOT`: the user's disk quota is exhausted.
        public static let quotaExceeded = Code(rawValue: EDQUOT)
        /// `EFBIG`: the file would exceed the process's file size limit (`ulimit -f`).
        public static let fileTooLarge = Code(rawValue: EFBIG)
        /// `EROFS`: the file system is mounted read-only.
        public static let readOnlyFileSystem = Code(rawValue: EROFS)
        /// `EWOULDBLOCK`: another process holds the environment's writer lock (``Environment``).
        public static let writerActive = Code(rawValue: EWOULDBLOCK)
        /// `ENOLCK`: LMDB's lock file is missing while other processes have the environment open.
        public static let lockFileMissing = Code(rawValue: ENOLCK)

        public var description: String { String(cString: mdb_strerror(rawValue)) }
    }

    /// The result code.
    public let code: Code
    /// `mdb_strerror`'s message for the code.
    public var message: String { code.description }
    /// What Vigil was doing when the call failed, e.g. `mdb_put(events)`.
    public let operation: String
    /// What Vigil found, when it found the problem itself (a damaged meta page, a truncated file, a
    /// writer holding the lock), in words for a person.
    public let detail: String?

    /// Makes an error from an LMDB return code.
    public init(_ rc: Int32, _ operation: String) {
        self.code = Code(rawValue: rc)
        self.operation = operation
        self.detail = nil
    }

    /// Makes an error from a code.
    public init(code: Code, operation: String, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    /// Damage Vigil found itself, described.
    static func damaged(_ detail: String) -> LMDBError {
        LMDBError(code: .corrupted, operation: "checking data.mdb", detail: detail)
    }

    public var description: String {
        if let detail { return detail }
        return "LMDB error \(code.rawValue) in \(operation): \(message)"
    }

    /// What the failure means for the person running the program: the cause in plain words with
    /// its code name (`the disk is full (ENOSPC)`), for the codes a store meets in the field.
    public var cause: String {
        if let detail { return meansDamage ? "the store is damaged: \(detail)" : detail }
        return switch code {
        case .noSpace: "the disk is full (ENOSPC: \(message))"
        case .quotaExceeded: "the disk quota is exhausted (EDQUOT: \(message))"
        case .fileTooLarge: "the process's file size limit was reached (EFBIG: \(message); see ulimit -f)"
        case .ioError: "the disk reported an I/O error (EIO: \(message))"
        case .readOnlyFileSystem: "the file system is read-only (EROFS: \(message))"
        case .permissionDenied: "permission denied (EACCES: \(message))"
        case .mapFull: "the store reached its size limit (MDB_MAP_FULL, \(operation))"
        case .corrupted, .pageNotFound, .invalid, .panic: "the data file is damaged (\(message), in \(operation))"
        default: "\(message) (LMDB error \(code.rawValue) in \(operation))"
        }
    }

    /// Whether the code says the data file is damaged.
    public var meansDamage: Bool { [.corrupted, .pageNotFound, .invalid, .panic].contains(code) }
}

extension LMDBError.Code {
    /// Lets `catch LMDBError.Code.mapFull` match an error by its code.
    public static func ~= (pattern: Self, error: any Error) -> Bool {
        (error as? LMDBError)?.code == pattern
    }
}

/// Throws ``LMDBError`` unless `rc` is `MDB_SUCCESS`.
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if rc != MDB_SUCCESS { throw LMDBError(rc, operation()) }
}
