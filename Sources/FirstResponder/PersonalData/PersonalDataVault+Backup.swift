public import EventStore
public import LMDB

extension PersonalDataVault {
    /// Copies the vault of the store in `storeDirectory`, if it has one, into `backup` (as
    /// `vault/current` and the current generation's directory): LMDB's compacting hot copy of the
    /// current generation — which never held a sealed youth's records, sealing rebuilds it — synced,
    /// mode 0640, then walked page by page. Needs no master key: the records stay encrypted.
    /// Returns whether there was a vault to copy.
    @discardableResult
    public static func copy(storeDirectory: String, into backup: BackupDirectory) throws(VaultError) -> Bool {
        let source = VaultGenerations(storeDirectory: storeDirectory)
        let target = VaultGenerations(storeDirectory: backup.path)
        for _ in 0..<3 {
            guard let (name, _) = try source.current() else { return false }
            let environment: Environment
            do {
                environment = try Environment.open(
                    directory: source.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true))
            } catch {
                continue  // a sealing published a new generation and removed this one: read `current` again
            }
            try target.prepare(name)
            try VaultError.wrappingStorage("copying the personal-data vault") {
                try environment.copy(to: target.path(name), compact: true)
            }
            let copied = try VaultError.wrappingStorage("checking the copied vault") {
                try Environment.open(
                    directory: target.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true)
                ).checkPages()
            }
            guard copied.isValid else {
                throw VaultError(
                    .corrupted,
                    "the copy of the personal-data vault does not check out: \(copied.problems.joined(separator: "; "))"
                )
            }
            try target.publish(name)
            return true
        }
        throw VaultError(.storage, "the personal-data vault kept changing while it was copied: run the backup again")
    }
}

extension PersonalDataVault {
    /// Walks every page of the vault's current generation in the store in `storeDirectory`
    /// (``LMDB/Environment/checkPages()``), or nil when the store has no vault. Needs no master key.
    public static func checkPages(storeDirectory: String) throws(VaultError) -> PageCheckReport? {
        let generations = VaultGenerations(storeDirectory: storeDirectory)
        guard let (name, _) = try generations.current() else { return nil }
        return try VaultError.wrappingStorage("checking the personal-data vault") {
            try Environment.open(
                directory: generations.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true)
            ).checkPages()
        }
    }
}
