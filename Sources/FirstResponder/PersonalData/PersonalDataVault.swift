public import LMDB
import Synchronization

/// The personal-data vault: a youth's identifying details (``YouthDetails``), kept out of the event
/// log, encrypted with a key of the youth's own, and destroyed for good when the record is sealed
/// (crypto-shredding).
///
/// Events name a youth only by a pseudonymous reference (`Y-…`). The vault is an LMDB environment
/// of its own beside the log, in `DIR/vault/` (`VaultGenerations`), with these databases:
///
/// | Database | Key | Value |
/// |---|---|---|
/// | `youthKeys` | youthRef | the youth's random 32-byte key, AES-256-GCM-wrapped with the ``MasterKey`` (associated data: youthRef) |
/// | `youthDetails` | youthRef | the details as JSON, AES-256-GCM-encrypted with the youth's key (associated data: youthRef and record version) |
/// | `youthSeals` | youthRef | the tombstone of a sealing: when, who authorised it, the legal basis |
/// | `sealIntents` | event id | the `RecordSealed` events a sealing still has to append (``PendingSeal``) |
/// | `vaultMeta` | `format`, `keyCheck`, `compactionPending` | the vault format, a check value that recognises the master key, and a mark that a sealing's purge is unfinished |
///
/// `VaultRecords` documents the bytes. The associated data binds every ciphertext to its youth (and
/// the details to their version), so a record copied under another reference does not decrypt.
///
/// Sealing leaves nothing behind: the vault is rebuilt into a fresh environment holding every live
/// record but the sealed youth's, and the old one's files are deleted (see
/// ``seal(_:authorisedBy:legalBasis:at:completing:)``).
///
/// ```swift
/// let vault = try PersonalDataVault.open(environment: store.environment, masterKey: MasterKey.load(path: keyPath))
/// var rng = SystemRandomNumberGenerator()
/// try vault.store(details, for: "Y-7K2M9Q4D1X", using: &rng)
/// if case .details(let d) = try vault.read("Y-7K2M9Q4D1X") { … }
/// try vault.seal("Y-7K2M9Q4D1X", authorisedBy: "user:supervisor-3", legalBasis: .wic781, at: now)
/// ```
///
/// The vault reads no clock; randomness (keys, nonces) comes from the caller's generator, so tests
/// can be deterministic. Every method is synchronous and runs its own short LMDB transactions; writes
/// are serialised within the process, and only a process that writes to the store (and so holds its
/// writer lock) opens the vault for writing. The vault does not log who reads a record: the
/// daemon's access log does (WIC 827).
public final class PersonalDataVault: Sendable {
    /// The vault's on-disk format version (the records' layout; see docs/FORMAT.md).
    public static let formatVersion: UInt32 = 1

    /// The data directory whose vault this is.
    public let directory: String
    let masterKey: MasterKey
    let generations: VaultGenerations
    let readOnly: Bool
    private let state: Mutex<Generation>
    /// Held by every write, so a sealing's rebuild sees no write it would miss.
    let writes = Mutex<Void>(())

    /// One generation of the vault, open.
    struct Generation: Sendable {
        let name: String
        let inode: UInt64
        let environment: Environment
        let databases: VaultDatabases
    }

    private init(
        directory: String, masterKey: MasterKey, generations: VaultGenerations, readOnly: Bool, current: Generation
    ) {
        self.directory = directory
        self.masterKey = masterKey
        self.generations = generations
        self.readOnly = readOnly
        self.state = Mutex(current)
    }

    /// Opens the vault of the store whose environment is `environment` (read-only when it is), with
    /// `masterKey`, creating it on first use (and recording the key's check value then). A writing
    /// open also finishes what a crash interrupted: a half-made generation is removed, and a
    /// sealing whose purge did not complete is purged now.
    ///
    /// Throws ``VaultError``: ``VaultError/Code/wrongMasterKey`` when the vault was created with
    /// another master key; ``VaultError/Code/keyFile`` when the key was loaded from a file inside the
    /// data directory; ``VaultError/Code/notFound`` for a read-only store without a vault.
    public static func open(environment: Environment, masterKey: MasterKey) throws(VaultError) -> PersonalDataVault {
        let directory = environment.directory
        if let keyPath = masterKey.path, KeyFile.isInside(keyPath, directory: directory) {
            throw VaultError(
                .keyFile,
                "master key file \(keyPath) is inside the data directory \(directory): keep it "
                    + "elsewhere, or every copy of the data carries the key that opens it",
                field: "masterKey")
        }
        try refuseVaultInsideLog(environment)
        let generations = VaultGenerations(storeDirectory: directory)
        let readOnly = environment.options.readOnly
        let check = VaultRecords.keyCheck(masterKey)
        var found = try generations.current()
        if found == nil {
            try refuseLostCurrent(generations)
            guard !readOnly else { throw VaultError(.notFound, "no personal-data vault in \(directory)") }
            let first = VaultGenerations.next(after: nil)
            try generations.prepare(first)
            _ = try openGeneration(first, inode: 0, generations, readOnly: false, check: check, creating: true)
            try generations.publish(first)
            found = try generations.current()
        }
        guard let (name, inode) = found else { throw VaultError(.notFound, "no personal-data vault in \(directory)") }
        let current = try openGeneration(name, inode: inode, generations, readOnly: readOnly, check: check)
        // Only once the generation `current` names has opened: never remove the others on the word of
        // a damaged `current`.
        if !readOnly { generations.removeStale(keeping: name) }
        let vault = PersonalDataVault(
            directory: directory, masterKey: masterKey, generations: generations, readOnly: readOnly, current: current)
        if !readOnly, try vault.compactionPending(current) {
            try vault.writes.withLock { _ throws(VaultError) in try vault.rebuild(from: current) }
        }
        return vault
    }

    /// The current generation, opened afresh when another process published a new one since.
    func current() throws(VaultError) -> Generation {
        let cached = state.withLock { $0 }
        if generations.currentInode() == cached.inode { return cached }
        var failure = VaultError.damaged("\(generations.root)/\(VaultGenerations.currentName) is missing")
        for _ in 0..<3 {
            guard let (name, inode) = try generations.current() else { break }
            if name == cached.name { return cached }
            do {
                let opened = try Self.openGeneration(
                    name, inode: inode, generations, readOnly: readOnly, check: VaultRecords.keyCheck(masterKey))
                state.withLock { $0 = opened }
                return opened
            } catch  where error.code == .storage || error.code == .corrupted {
                failure = error
                continue  // removed between reading `current` and opening it: read `current` again
            }
        }
        throw failure
    }

    /// The LMDB environment of the vault's current generation, for inspection (`vigil verify`, tests).
    /// A sealing replaces it: take it afresh for each use.
    public var currentEnvironment: Environment {
        get throws(VaultError) { try current().environment }
    }

    /// Makes `generation` the one this process uses.
    func adopt(_ generation: Generation) { state.withLock { $0 = generation } }

    static func openGeneration(
        _ name: String, inode: UInt64, _ generations: VaultGenerations, readOnly: Bool, check: [UInt8],
        creating: Bool = false
    ) throws(VaultError) -> Generation {
        // A published generation without its data file is damage: opening it for writing would make
        // an empty vault in its place, and every youth's details would be out of reach.
        if !creating, !FileMarker.exists(generations.path(name) + "/data.mdb") {
            throw VaultError.damaged(
                "\(VaultGenerations.currentName) names generation \(name), but \(generations.path(name))/data.mdb is not there"
            )
        }
        return try VaultError.wrappingStorage("opening the personal-data vault") {
            let environment = try Environment.open(
                directory: generations.path(name),
                options: Environment.Options(mapSize: 1 << 20, maxDatabases: 8, readOnly: readOnly))
            let databases: VaultDatabases
            if readOnly {
                databases = try environment.read { txn in
                    let dbs = try VaultDatabases(txn, create: false)
                    try verify(txn, dbs, check: check)
                    return dbs
                }
            } else {
                databases = try environment.write { txn in
                    let dbs = try VaultDatabases(txn, create: true)
                    try verify(txn, dbs, check: check)
                    return dbs
                }
            }
            return Generation(name: name, inode: inode, environment: environment, databases: databases)
        }
    }

    /// With no `current`, a generation that holds records means `current` was lost (deleted, or the
    /// vault copied without it), not that there is no vault yet: making a new first generation would
    /// put every youth's details out of reach (or remove them). Only a first generation whose
    /// creation was interrupted — no records, or not even its databases — may be made again.
    private static func refuseLostCurrent(_ generations: VaultGenerations) throws(VaultError) {
        let first = VaultGenerations.next(after: nil)
        for name in generations.names {
            var holdsRecords = name != first
            if !holdsRecords {
                holdsRecords =
                    (try? Environment.open(
                        directory: generations.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true)
                    ).read { txn in
                        let dbs = try VaultDatabases(txn, create: false)
                        return try [dbs.keys, dbs.details, dbs.seals].contains { try txn.statistics($0).entries > 0 }
                    }) ?? false
            }
            if holdsRecords {
                throw VaultError.damaged(
                    "\(generations.root)/\(VaultGenerations.currentName) is missing, and generation \(name) holds records"
                )
            }
        }
    }

    /// A store made before the vault had an environment of its own kept it in the log's; its
    /// records would stay there, out of reach of the purge that sealing now does.
    private static func refuseVaultInsideLog(_ environment: Environment) throws(VaultError) {
        let old = try? environment.read { txn in try txn.openDatabase("youthKeys") }
        guard old == nil else {
            throw VaultError(
                .unsupportedFormat,
                "this store keeps its personal-data vault inside the event log's environment, as vigil did before "
                    + "the vault moved to \(environment.directory)/vault: export the log, import it into a new store, "
                    + "and store the details again")
        }
    }

    private static func verify(_ txn: borrowing Transaction, _ dbs: VaultDatabases, check: [UInt8]) throws {
        if let stored = try txn.get(dbs.meta, key: VaultRecords.formatKey) {
            let version = stored.count == 4 ? stored.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : .max
            guard version <= formatVersion else {
                throw VaultError(
                    .unsupportedFormat,
                    "the personal-data vault is in format \(version); this vigil reads formats up to \(formatVersion)")
            }
        } else if !txn.isReadOnly {
            try txn.put(
                dbs.meta, key: VaultRecords.formatKey,
                value: withUnsafeBytes(of: formatVersion.littleEndian) {
                    Array($0)
                })
        }
        if let stored = try txn.get(dbs.meta, key: VaultRecords.keyCheckKey) {
            guard stored == check else {
                throw VaultError(
                    .wrongMasterKey,
                    "the master key does not match this personal-data vault: use the key file the vault was created with",
                    field: "masterKey")
            }
        } else if !txn.isReadOnly {
            try txn.put(dbs.meta, key: VaultRecords.keyCheckKey, value: check)
        }
    }
}

/// The vault's named databases.
struct VaultDatabases: Sendable {
    static let names = ["youthKeys", "youthDetails", "youthSeals", "sealIntents", "vaultMeta"]

    /// youthRef → wrapped youth key.
    let keys: Database
    /// youthRef → encrypted details.
    let details: Database
    /// youthRef → seal tombstone.
    let seals: Database
    /// first event id → the `RecordSealed` events a sealing has still to append.
    let intents: Database
    /// name → format version, key check.
    let meta: Database

    /// Every database with its name, in a fixed order.
    var all: [(name: String, database: Database)] {
        [
            ("youthKeys", keys), ("youthDetails", details), ("youthSeals", seals), ("sealIntents", intents),
            ("vaultMeta", meta),
        ]
    }

    init(_ txn: borrowing Transaction, create: Bool) throws {
        let flags: Database.Flags = create ? .create : []
        keys = try txn.openDatabase("youthKeys", flags: flags)
        details = try txn.openDatabase("youthDetails", flags: flags)
        seals = try txn.openDatabase("youthSeals", flags: flags)
        intents = try txn.openDatabase("sealIntents", flags: flags)
        meta = try txn.openDatabase("vaultMeta", flags: flags)
    }
}
