public import LMDB

/// What checking a store's personal-data vault without its master key found (`vigil verify`,
/// `vigil backup`).
public struct VaultCheckReport: Sendable {
    /// The generation checked (`g000000000003`), empty when none could be read.
    public var generation = ""
    /// Youths whose details the vault holds.
    public var youths = 0
    /// Youths whose record is sealed (tombstones).
    public var sealed = 0
    /// Sealings whose personal data is destroyed but whose `RecordSealed` events the log may lack yet
    /// (``PendingSeal``): a process stopped between the two, or a backup taken between them.
    public var pendingSeals = 0
    /// Pages walked, when the check was deep.
    public var pages: Int?
    /// What is wrong, one sentence each; empty when the vault checks out.
    public var problems: [String] = []

    /// Whether the vault checks out.
    public var isValid: Bool { problems.isEmpty }
}

extension PersonalDataVault {
    /// Checks the vault of the store in `storeDirectory` as far as can be done without the master
    /// key, or returns nil when the store has none:
    ///
    /// - `vault/current` names a generation that is there, and its data file is safe to map (the
    ///   meta pages and the file's size, as every open checks);
    /// - with `deep`, every page of it (``LMDB/Environment/checkPages()``), first;
    /// - every record has its layout (``VaultRecords``): a wrapped key of 61 bytes in format 1 for
    ///   each youth with details, details with their header and tag, a tombstone that decodes and no
    ///   key or details beside it, every key a youth reference, and the vault's format and key check.
    ///
    /// The records are encrypted: whether they authenticate takes the master key (`vigil vault show`).
    public static func check(storeDirectory: String, deep: Bool) -> VaultCheckReport? {
        let generations = VaultGenerations(storeDirectory: storeDirectory)
        var report = VaultCheckReport()
        var opened: (name: String, environment: Environment)?
        for attempt in 1...3 where opened == nil {
            let found: (name: String, inode: UInt64)?
            do {
                found = try generations.current()
            } catch {
                report.problems.append(error.message)
                return report
            }
            guard let (name, _) = found else {
                guard generations.hasGenerations else { return nil }
                report.problems.append(
                    "\(generations.root)/\(VaultGenerations.currentName) is missing beside the vault's generations")
                return report
            }
            do {
                let environment = try Environment.open(
                    directory: generations.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true))
                opened = (name, environment)
            } catch let error where error.meansDamage || attempt == 3 {
                report.generation = name
                report.problems.append(
                    error.code == .noSuchFile
                        ? "\(VaultGenerations.currentName) names generation \(name), which is not there"
                        : "generation \(name): \(error.cause)")
                return report
            } catch {
                continue  // a sealing published a new generation and removed this one: read `current` again
            }
        }
        guard let (name, environment) = opened else { return report }
        report.generation = name
        if deep {
            let pages = environment.checkPages()
            report.pages = pages.pages
            report.problems += pages.problems.map { "generation \(name): \($0)" }
            guard pages.isValid else { return report }
        }
        do {
            try environment.read { txn in
                let dbs = try VaultDatabases(txn, create: false)
                try checkRecords(txn, dbs, into: &report)
            }
        } catch let error as LMDBError {
            report.problems.append("generation \(name): \(error.cause)")
        } catch {
            report.problems.append("generation \(name): \(error)")
        }
        return report
    }

    /// Every record of `database`, its key as text.
    static func entries(_ txn: borrowing Transaction, _ database: Database) throws -> [(
        key: String, value: [UInt8]
    )] {
        try txn.withCursor(database) { cursor in
            var out: [(key: String, value: [UInt8])] = []
            var entry = try cursor.first()
            while let e = entry {
                out.append((String(decoding: e.key, as: UTF8.self), Array(e.value)))
                entry = try cursor.next()
            }
            return out
        }
    }

    private static func checkRecords(
        _ txn: borrowing Transaction, _ dbs: VaultDatabases, into report: inout VaultCheckReport
    ) throws {
        let keys = try entries(txn, dbs.keys)
        let details = try entries(txn, dbs.details)
        let seals = try entries(txn, dbs.seals)
        let keyed = Set(keys.map(\.key))
        let detailed = Set(details.map(\.key))
        for ref in (keys + details + seals).map(\.key) where !SchemaPatterns.youthRef.matches(ref) {
            report.problems.append("a record is filed under '\(ref.prefix(40))', not a youth reference")
        }
        for (ref, record) in keys
        where record.count != VaultRecords.wrappedKeySize || record.first != VaultRecords.format {
            report.problems.append(
                "the wrapped key of \(ref) is \(record.count) bytes in format \(record.first ?? 0), not "
                    + "\(VaultRecords.wrappedKeySize) in format \(VaultRecords.format)")
        }
        for (ref, record) in details {
            do {
                _ = try VaultRecords.version(ofDetails: record, ref: ref)
            } catch {
                report.problems.append(error.message)
            }
            if !keyed.contains(ref) { report.problems.append("the details of \(ref) have no key beside them") }
        }
        for ref in keyed.subtracting(detailed) { report.problems.append("the key of \(ref) has no details beside it") }
        for (ref, record) in seals {
            do {
                _ = try VaultRecords.decodeSeal(record, ref: ref)
            } catch {
                report.problems.append(error.message)
            }
            if keyed.contains(ref) || detailed.contains(ref) {
                report.problems.append("\(ref) is sealed, yet the vault still holds its key or details")
            }
        }
        let format = try txn.get(dbs.meta, key: VaultRecords.formatKey)
        if format?.count != 4 { report.problems.append("the vault's format record is missing or malformed") }
        if try txn.get(dbs.meta, key: VaultRecords.keyCheckKey)?.count != 32 {
            report.problems.append("the vault's master-key check value is missing or malformed")
        }
        report.youths = details.count
        report.sealed = seals.count
        report.pendingSeals = try entries(txn, dbs.intents).count
    }
}

extension PersonalDataVault {
    /// Reads every record with the master key, as ``read(_:)`` does: each youth's wrapped key must
    /// unwrap and their details open and decode, each tombstone decode. It finds what
    /// ``check(storeDirectory:deep:)`` cannot see without the key: a changed byte inside a ciphertext,
    /// a record moved under another youth's reference.
    public func authenticate() throws(VaultError) -> VaultCheckReport {
        let generation = try current()
        let dbs = generation.databases
        let refs: [String] = try VaultError.wrappingStorage("listing the vault's records") {
            try generation.environment.read { txn in
                var refs = Set<String>()
                for database in [dbs.keys, dbs.details, dbs.seals] {
                    refs.formUnion(try Self.entries(txn, database).map(\.key))
                }
                return refs.sorted()
            }
        }
        var report = VaultCheckReport(generation: generation.name)
        for ref in refs {
            do {
                switch try read(ref) {
                case .details: report.youths += 1
                case .sealed: report.sealed += 1
                case .unknown: break
                }
            } catch {
                report.problems.append(error.message)
            }
        }
        return report
    }
}
