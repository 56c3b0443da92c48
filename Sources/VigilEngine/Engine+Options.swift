public import EventStore

extension Engine {
    /// How an engine opens its data directory.
    public struct Options: Sendable {
        /// Whether the engine writes.
        public enum Access: Sendable, Equatable {
            /// Opens the store for appends, creating the directory and the store when missing.
            case readWrite
            /// Opens an existing store for reading only; nothing is created or written. The read-only
            /// engine has no command handler's writes, but every read and view works.
            case readOnly
        }

        /// Read-write (the default) or read-only.
        public var access: Access
        /// Where recordedAt comes from: the wall clock unless a simulation or a replay gives another.
        public var clock: (@Sendable () -> Timestamp)?
        /// Seeds store-made event ids, so a simulation on a virtual clock is repeatable.
        public var idSeed: UInt64?
        /// The LMDB map a new store starts with (it grows by itself).
        public var initialMapSize: Int?
        /// The largest the LMDB map may grow to (1 TiB unless given): beyond it writes fail as on a
        /// full disk. For tests of a full store.
        public var maxMapSize: Int?
        /// The personal-data vault's master key file. Without it the engine has no vault: reads of
        /// identifying details and sealing are refused, everything else works.
        public var masterKeyPath: String?
        /// Whether the domain's inline views (the durable timer index) are kept in the append's
        /// transaction. Only the store-level tools (`vigil bench`) turn them off: every domain write
        /// must keep them, or timers would be missed.
        public var domainViews: Bool
        /// Skips the fsync of every commit (LMDB's `MDB_NOSYNC`): a crash may lose the last commits.
        /// Only for stores that can be rebuilt from elsewhere — test datasets, benchmark logs — never
        /// for a county's log.
        public var unsafeNoSync = false
        /// With ``unsafeNoSync``, for a new store being filled (`vigil simulate`): LMDB writes each
        /// commit's pages straight into its memory map (`MDB_WRITEMAP`) instead of copying them and
        /// writing them with `pwrite`. The data file is extended to the map's size at once (sparse);
        /// a restore cannot run in it; a machine crash before the final ``Engine/sync()`` leaves a
        /// store to delete, as with ``unsafeNoSync`` alone. Ignored without ``unsafeNoSync``.
        public var fillWriteMap = false
        /// How far after the moment the log receives it a fact's time may lie (a field device's clock
        /// running ahead), in seconds; beyond it a command or an imported line is refused.
        public var clockSkewSeconds: Int64
        /// Told after each durable group commit how many appends and events it took (the daemon's
        /// metrics).
        public var commitObserver: (@Sendable (_ appends: Int, _ events: Int) -> Void)?

        /// Options; the defaults open (or create) a store for writing on the wall clock, with no vault.
        public init(
            access: Access = .readWrite,
            clock: (@Sendable () -> Timestamp)? = nil,
            idSeed: UInt64? = nil,
            initialMapSize: Int? = nil,
            masterKeyPath: String? = nil,
            domainViews: Bool = true,
            clockSkewSeconds: Int64 = 300
        ) {
            self.access = access
            self.clock = clock
            self.idSeed = idSeed
            self.initialMapSize = initialMapSize
            self.masterKeyPath = masterKeyPath
            self.domainViews = domainViews
            self.clockSkewSeconds = clockSkewSeconds
        }

        /// Read-only access to an existing store.
        public static var readOnly: Options { Options(access: .readOnly) }
    }
}
