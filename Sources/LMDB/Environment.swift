import CLMDB
import Glibc
import Synchronization

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`.
///
/// There is one `Environment` per directory per process (LMDB forbids opening the same environment
/// twice in a process): ``open(directory:options:)`` returns the instance already open for that
/// directory.
///
/// Transactions are scoped to a synchronous closure, ``read(_:)`` or ``write(_:)``, and the
/// ``Transaction`` handed to it is non-copyable and not `Sendable`: it cannot escape the closure or
/// cross an `await`, which is what LMDB requires of write transactions (the write lock belongs to
/// the thread that took it).
///
/// `Environment` is `@unchecked Sendable` because LMDB's environment handle is thread-safe when it is
/// opened with `MDB_NOTLS` (as it always is here), and the only mutable state, the map size, is
/// guarded by ``ReadWriteLock``.
public final class Environment: @unchecked Sendable {
    /// How an environment is opened.
    public struct Options: Sendable {
        /// The initial map size in bytes; it grows on demand (see ``write(_:)``).
        public var mapSize: Int
        /// The largest map size growth may reach, in bytes.
        public var maxMapSize: Int
        /// The number of named databases the environment may hold.
        public var maxDatabases: UInt32
        /// The number of reader slots (concurrent read transactions across all processes).
        public var maxReaders: UInt32
        /// Open without write access.
        public var readOnly: Bool
        /// Skip the fsync at commit. Durability is lost; only for throwaway data in tests.
        public var unsafeNoSync: Bool

        /// Default options: a 64 MiB initial map that may grow to 1 TiB.
        public init(
            mapSize: Int = 64 << 20,
            maxMapSize: Int = 1 << 40,
            maxDatabases: UInt32 = 32,
            maxReaders: UInt32 = 510,
            readOnly: Bool = false,
            unsafeNoSync: Bool = false
        ) {
            self.mapSize = mapSize
            self.maxMapSize = maxMapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.readOnly = readOnly
            self.unsafeNoSync = unsafeNoSync
        }
    }

    /// The directory holding the environment.
    public let directory: String
    /// The options it was opened with.
    public let options: Options

    let handle: OpaquePointer
    let gate = ReadWriteLock()
    private let currentMapSize: Mutex<Int>

    func setMapSize(_ size: Int) { currentMapSize.withLock { $0 = size } }

    private static let registry = Mutex<[String: WeakEnvironment]>([:])

    /// Opens (creating when allowed and missing) the environment in `directory`, or returns the one
    /// this process already has open there.
    public static func open(directory: String, options: Options = Options()) throws(LMDBError) -> Environment {
        if !options.readOnly {
            mkdir(directory, 0o750)
        }
        guard let canonical = realpath(directory, nil) else {
            throw LMDBError(code: .noSuchFile, operation: "open \(directory)")
        }
        let path = String(cString: canonical)
        free(canonical)
        return try registry.withLock { (environments) throws(LMDBError) -> Environment in
            if let existing = environments[path]?.environment { return existing }
            let environment = try Environment(path: path, options: options)
            environments[path] = WeakEnvironment(environment: environment)
            return environment
        }
    }

    private init(path: String, options: Options) throws(LMDBError) {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: .invalid, operation: "mdb_env_create") }
        do {
            try check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.unsafeNoSync { flags |= UInt32(MDB_NOSYNC) }
            try check(mdb_env_open(env, path, flags, 0o640), "mdb_env_open(\(path))")
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        } catch {
            mdb_env_close(env)
            throw error
        }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        self.handle = env
        self.directory = path
        self.options = options
        self.currentMapSize = Mutex(info.me_mapsize)
    }

    deinit {
        mdb_env_close(handle)
    }

    /// The current map size in bytes.
    public var mapSize: Int { currentMapSize.withLock { $0 } }

    /// Facts about the environment: map size, last page used, last transaction id, readers.
    public func info() -> Info {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Info(
            mapSize: info.me_mapsize,
            usedBytes: (info.me_last_pgno + 1) * Int(stat.ms_psize),
            pageSize: Int(stat.ms_psize),
            lastTransactionID: info.me_last_txnid,
            maxReaders: Int(info.me_maxreaders),
            readers: Int(info.me_numreaders)
        )
    }

    /// Flushes the data to disk; only needed with ``Options/unsafeNoSync``.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Writes a consistent copy of the environment to `directory` (which must exist and be empty)
    /// while readers and the writer go on; with `compact`, free pages are omitted and pages
    /// renumbered (`mdb_env_copy2` with `MDB_CP_COMPACT`).
    public func copy(to directory: String, compact: Bool = true) throws(LMDBError) {
        try check(
            mdb_env_copy2(handle, directory, compact ? UInt32(MDB_CP_COMPACT) : 0),
            "mdb_env_copy2(\(directory))"
        )
    }

    /// Facts about an environment.
    public struct Info: Sendable {
        /// The map size in bytes.
        public var mapSize: Int
        /// Bytes in use up to the last page written.
        public var usedBytes: Int
        /// The page size in bytes.
        public var pageSize: Int
        /// The id of the last committed transaction.
        public var lastTransactionID: Int
        /// The number of reader slots.
        public var maxReaders: Int
        /// Reader slots in use.
        public var readers: Int
    }
}

private struct WeakEnvironment {
    weak var environment: Environment?
}
