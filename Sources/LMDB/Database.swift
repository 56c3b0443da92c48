import CLMDB

/// A named database inside an ``Environment`` (an LMDB `MDB_dbi`). The handle is a plain value,
/// valid for the life of the environment once the transaction that opened it has committed.
public struct Database: Sendable, Hashable {
    /// Flags a database is created or opened with.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Create the database if it does not exist.
        public static let create = Flags(rawValue: UInt32(MDB_CREATE))
        /// Keys may hold several sorted values (`MDB_DUPSORT`).
        public static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// With ``duplicateSort``: all values of a key have the same size (`MDB_DUPFIXED`).
        public static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// Keys are native-endian unsigned integers (`MDB_INTEGERKEY`).
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
    }

    /// The LMDB handle.
    public let dbi: UInt32
    /// The database's name.
    public let name: String
}

/// Flags for a put.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with ``LMDBError/Code/keyExists`` if the key is already present (`MDB_NOOVERWRITE`).
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// With duplicates: fail if the key/value pair is already present (`MDB_NODUPDATA`).
    public static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// The key sorts after every key in the database: append without a search (`MDB_APPEND`).
    /// LMDB rejects an out-of-order key with ``LMDBError/Code/keyExists``.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// With duplicates: the value sorts after every value of the key (`MDB_APPENDDUP`).
    public static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

/// Statistics of one database (`mdb_stat`).
public struct DatabaseStatistics: Sendable {
    /// The number of entries.
    public var entries: Int
    /// The tree's depth.
    public var depth: Int
    /// Branch, leaf and overflow pages.
    public var branchPages: Int, leafPages: Int, overflowPages: Int
    /// The page size in bytes.
    public var pageSize: Int

    /// Bytes in the database's pages.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }
}
