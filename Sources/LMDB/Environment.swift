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
        /// Write a transaction's pages straight into the memory map (`MDB_WRITEMAP`) instead of
        /// copying each into a buffer and writing it with `pwrite` at commit: for filling a new store
        /// with ``unsafeNoSync`` (`vigil simulate`), where the commit's writes are most of its cost.
        ///
        /// What it changes (LMDB 0.9.24): the data file is extended at once to the whole map size
        /// (sparse; it grows with the map); nested transactions are refused (`MDB_BAD_TXN`), so a
        /// restore cannot run in it; a stray write into the map would reach the data unchecked. A
        /// process crash still leaves the last commit, but with ``unsafeNoSync`` a machine crash may
        /// leave a damaged file: only for data that is rebuilt rather than repaired. An environment
        /// this process already has open without it is not reopened with it (``open(directory:options:)``).
        public var writeMap: Bool
        /// How long a writer waits for another process's writer lock before it is refused.
        public var writerWait: Duration

        /// Default options: a 64 MiB initial map that may grow to 1 TiB.
        public init(
            mapSize: Int = 64 << 20,
            maxMapSize: Int = 1 << 40,
            maxDatabases: UInt32 = 32,
            maxReaders: UInt32 = 510,
            readOnly: Bool = false,
            unsafeNoSync: Bool = false,
            writeMap: Bool = false,
            writerWait: Duration = .seconds(5)
        ) {
            self.writeMap = writeMap
            self.writerWait = writerWait
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
    /// The directory and writer locks, released when the environment is closed.
    private let locks: EnvironmentLocks
    private let currentMapSize: Mutex<Int>
    /// Where this process maps the data file (``releaseResidentPages()``).
    let residency: MapResidency

    func setMapSize(_ size: Int) { currentMapSize.withLock { $0 = size } }

    private static let registry = Mutex<[String: WeakEnvironment]>([:])

    /// Opens (creating when allowed and missing) the environment in `directory`, or returns the one
    /// this process already has open there.
    ///
    /// Before LMDB maps anything, the data file is checked (``DataFile/inspect(directory:)``: meta
    /// pages, and a file long enough for every page they name), and the process takes its locks
    /// (one writing process at a time; no new user while `lock.mdb` is missing under others). A
    /// `data.mdb` that is missing or empty beside `lock.mdb` is damage, not "no environment", unless a
    /// creation was interrupted (`vigil.creating` is there): creating writes that marker first and
    /// removes it once the new file's meta pages are on disk.
    ///
    /// The directory (with any missing parent), data file and lock files it creates are private
    /// (``PrivateFile``), whatever the umask.
    public static func open(directory: String, options: Options = Options()) throws(LMDBError) -> Environment {
        if !options.readOnly { try PrivateFile.makeDirectory(directory) }
        guard let canonical = realpath(directory, nil) else {
            throw LMDBError(code: .noSuchFile, operation: "open \(directory)")
        }
        let path = String(cString: canonical)
        free(canonical)
        return try registry.withLock { (environments) throws(LMDBError) -> Environment in
            if let existing = environments[path]?.environment {
                if let mismatch = Self.mismatch(asked: options, open: existing.options) {
                    throw LMDBError(
                        code: .incompatible, operation: "open \(path)",
                        detail: "the environment is already open in this process \(mismatch); close it first")
                }
                return existing
            }
            let environment = try Environment(path: path, options: options)
            environments[path] = WeakEnvironment(environment: environment)
            return environment
        }
    }

    /// Why the environment open in this process cannot serve a caller asking for `asked`, or nil.
    ///
    /// One environment serves every user in the process, so a writer must not get less than it
    /// asked for: write access, fsync at commit (acknowledged = durable), and pages written in place
    /// or not (a writer that asked otherwise would get nested transactions refused, or a fill that
    /// is not one). Asking for less — fsync skipped, read-only — is served by what is open.
    static func mismatch(asked: Options, open: Options) -> String? {
        guard !asked.readOnly else { return nil }
        var reasons: [String] = []
        if open.readOnly { reasons.append("read-only, and a writer needs write access") }
        if open.unsafeNoSync && !asked.unsafeNoSync {
            reasons.append(
                "without fsync at commit (unsafeNoSync), and a writer that needs durable commits cannot share it")
        }
        if asked.writeMap != open.writeMap {
            reasons.append(
                (open.writeMap ? "with" : "without") + " MDB_WRITEMAP (writeMap), and this writer asked "
                    + (asked.writeMap ? "with" : "without"))
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    private init(path: String, options: Options) throws(LMDBError) {
        // A missing lock.mdb under live processes is found first: waiting for the writer lock would
        // only hide it behind "another process is writing".
        let locks = try EnvironmentLocks(directory: path)
        try locks.join()
        if !options.readOnly { try locks.takeWriterLock(wait: options.writerWait) }
        let creating = try Self.mustCreate(path, readOnly: options.readOnly)
        if creating { try FileMarker.create(path + "/" + Self.creationMarkerName) }
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: .invalid, operation: "mdb_env_create") }
        do {
            mdb_env_set_assert(env, { env, message in lmdbAssertionFailed(env, message) })
            try check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.unsafeNoSync { flags |= UInt32(MDB_NOSYNC) }
            if options.writeMap && !options.readOnly { flags |= UInt32(MDB_WRITEMAP) }
            // LMDB makes lock.mdb — also for a read-only open, e.g. of a backup — under the umask.
            let lockFile = path + "/lock.mdb"
            let lockFileExisted = access(lockFile, F_OK) == 0
            try check(mdb_env_open(env, path, flags, PrivateFile.mode), "mdb_env_open(\(path))")
            if !lockFileExisted { chmod(lockFile, PrivateFile.mode) }
            locks.opened()
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead), "mdb_reader_check")
            if creating {
                // The new file's meta pages reach the disk before the marker goes: from now on an
                // empty or missing data.mdb here is damage.
                try check(mdb_env_sync(env, 1), "mdb_env_sync")
                chmod(path + "/data.mdb", PrivateFile.mode)
                try FileMarker.remove(path + "/" + Self.creationMarkerName)
            }
        } catch {
            mdb_env_close(env)
            throw error
        }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        self.handle = env
        self.locks = locks
        self.directory = path
        var opened = options
        opened.writeMap = options.writeMap && !options.readOnly
        self.options = opened
        self.currentMapSize = Mutex(info.me_mapsize)
        self.residency = MapResidency(env: env, file: path + "/data.mdb")
    }

    /// The file that marks a creation in progress.
    public static let creationMarkerName = "vigil.creating"

    /// Whether `path` holds no environment yet and one is to be made; throws when it holds a
    /// damaged one, or (read-only) none.
    private static func mustCreate(_ path: String, readOnly: Bool) throws(LMDBError) -> Bool {
        let interrupted = access(path + "/" + creationMarkerName, F_OK) == 0
        let lockFile = access(path + "/lock.mdb", F_OK) == 0
        switch try DataFile.inspect(directory: path) {
        case .present:
            return false
        case .absent where lockFile && !interrupted:
            throw .damaged(
                "data.mdb is missing beside lock.mdb in \(path): the data file was deleted or moved")
        case .empty where !interrupted:
            throw .damaged(
                "data.mdb in \(path) is 0 bytes\(lockFile ? " beside lock.mdb" : ""): the data file was truncated "
                    + "(a store being created leaves \(creationMarkerName) until its first pages are on disk)")
        case .absent, .empty:
            if readOnly { throw LMDBError(code: .noSuchFile, operation: "open \(path): no data.mdb") }
            return true
        }
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

    /// Writes a consistent copy of the environment to `directory/data.mdb` (which must not exist)
    /// while readers and the writer go on; with `compact`, free pages are omitted and pages
    /// renumbered (`mdb_env_copyfd2` with `MDB_CP_COMPACT`). The file is a ``PrivateFile``, and synced with its directory before this returns.
    public func copy(to directory: String, compact: Bool = true) throws(LMDBError) {
        let path = directory + "/data.mdb"
        let fd = try PrivateFile.open(path, O_WRONLY | O_EXCL)
        let rc = mdb_env_copyfd2(handle, fd, compact ? UInt32(MDB_CP_COMPACT) : 0)
        let synced = rc == MDB_SUCCESS ? (fsync(fd) == 0 ? MDB_SUCCESS : errno) : rc
        close(fd)
        if synced != MDB_SUCCESS {
            throw Self.diagnose(LMDBError(synced, "mdb_env_copyfd2(\(path))"), directory: directory, pageSize: 4096)
        }
        try FileMarker.syncDirectory(of: path)
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
