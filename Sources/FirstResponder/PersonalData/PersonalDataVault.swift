public import LMDB

/// The personal-data vault: a youth's identifying details (``YouthDetails``), kept out of the event
/// log, encrypted with a key of the youth's own, and destroyed for good when the record is sealed
/// (crypto-shredding).
///
/// Events name a youth only by a pseudonymous reference (`Y-…`). The vault lives in named databases
/// of the store's LMDB environment (``EventStore/EventStore/environment``):
///
/// | Database | Key | Value |
/// |---|---|---|
/// | `youthKeys` | youthRef | the youth's random 32-byte key, AES-256-GCM-wrapped with the ``MasterKey`` (associated data: youthRef) |
/// | `youthDetails` | youthRef | the details as JSON, AES-256-GCM-encrypted with the youth's key (associated data: youthRef and record version) |
/// | `youthSeals` | youthRef | the tombstone of a sealing: when, who authorised it, the legal basis |
/// | `vaultMeta` | `format`, `keyCheck` | the vault format, and a check value that recognises the master key |
///
/// `VaultRecords` documents the bytes. The associated data binds every ciphertext to its youth (and
/// the details to their version), so a record copied under another reference does not decrypt.
///
/// ```swift
/// let vault = try PersonalDataVault.open(environment: store.environment, masterKey: MasterKey.load(path: keyPath))
/// var rng = SystemRandomNumberGenerator()
/// try vault.store(details, for: "Y-7K2M9Q4D1X", using: &rng)
/// if case .details(let d) = try vault.read("Y-7K2M9Q4D1X") { … }
/// try vault.seal("Y-7K2M9Q4D1X", authorisedBy: "user:supervisor-3", legalBasis: .wic781, at: now)
/// ```
///
/// Sealing does not touch the event log: the command layer appends `RecordSealed`, and the hash
/// chain, which covers only events, still verifies.
///
/// The vault reads no clock; randomness (keys, nonces) comes from the caller's generator, so tests
/// can be deterministic. Every method is synchronous and runs its own short LMDB transaction; a
/// write waits for LMDB's write lock, which the event store's writer holds during its commits, so
/// call writes off the cooperative thread pool in a server. The vault does not log who reads a
/// record: the daemon's access log does (WIC 827).
public final class PersonalDataVault: Sendable {
    /// The vault's on-disk format version.
    public static let formatVersion: UInt32 = 1

    /// The environment the vault lives in.
    public let environment: Environment
    let databases: VaultDatabases
    let masterKey: MasterKey

    private init(environment: Environment, databases: VaultDatabases, masterKey: MasterKey) {
        self.environment = environment
        self.databases = databases
        self.masterKey = masterKey
    }

    /// Opens the vault in `environment` with `masterKey`, creating its databases on first use (and
    /// recording the key's check value then).
    ///
    /// Throws ``VaultError``: ``VaultError/Code/wrongMasterKey`` when the vault was created with
    /// another master key; ``VaultError/Code/keyFile`` when the key was loaded from a file inside the
    /// environment's directory; ``VaultError/Code/notFound`` for a read-only environment without a
    /// vault.
    public static func open(environment: Environment, masterKey: MasterKey) throws(VaultError) -> PersonalDataVault {
        if let keyPath = masterKey.path, keyPath.hasPrefix(environment.directory + "/") {
            throw VaultError(
                .keyFile,
                "master key file \(keyPath) is inside the data directory \(environment.directory): keep it "
                    + "elsewhere, or every copy of the data carries the key that opens it",
                field: "masterKey")
        }
        let check = VaultRecords.keyCheck(masterKey)
        let databases: VaultDatabases = try VaultError.wrappingStorage("opening the personal-data vault") {
            if environment.options.readOnly {
                do {
                    return try environment.read { txn in
                        let dbs = try VaultDatabases(txn, create: false)
                        try verify(txn, dbs, check: check)
                        return dbs
                    }
                } catch LMDBError.Code.notFound {
                    throw VaultError(.notFound, "no personal-data vault in \(environment.directory)")
                }
            }
            return try environment.write { txn in
                let dbs = try VaultDatabases(txn, create: true)
                try verify(txn, dbs, check: check)
                return dbs
            }
        }
        return PersonalDataVault(environment: environment, databases: databases, masterKey: masterKey)
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
    static let names = ["youthKeys", "youthDetails", "youthSeals", "vaultMeta"]

    /// youthRef → wrapped youth key.
    let keys: Database
    /// youthRef → encrypted details.
    let details: Database
    /// youthRef → seal tombstone.
    let seals: Database
    /// name → format version, key check.
    let meta: Database

    init(_ txn: borrowing Transaction, create: Bool) throws {
        let flags: Database.Flags = create ? .create : []
        keys = try txn.openDatabase("youthKeys", flags: flags)
        details = try txn.openDatabase("youthDetails", flags: flags)
        seals = try txn.openDatabase("youthSeals", flags: flags)
        meta = try txn.openDatabase("vaultMeta", flags: flags)
    }
}
