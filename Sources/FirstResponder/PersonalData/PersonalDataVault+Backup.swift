public import EventStore
public import LMDB

extension PersonalDataVault {
    /// Copies the vault of the store in `storeDirectory`, if it has one, into `backup` (as
    /// `vault/current` and the current generation's directory): LMDB's compacting hot copy of the
    /// current generation — which never held a sealed youth's records, sealing rebuilds it — synced,
    /// a private file, then checked as `vigil verify --deep` checks a vault (``check(storeDirectory:deep:)``). Needs no master key: the records stay encrypted.
    /// Returns whether there was a vault to copy.
    @discardableResult
    public static func copy(storeDirectory: String, into backup: BackupDirectory) throws(VaultError) -> Bool {
        let source = VaultGenerations(storeDirectory: storeDirectory)
        let target = VaultGenerations(storeDirectory: backup.path)
        for attempt in 1...3 {
            guard let (name, _) = try source.current() else {
                // No vault — unless `current` was lost beside its generations: a backup without them
                // would drop every youth's details without a word.
                guard !source.hasGenerations else {
                    throw VaultError.damaged("\(source.root)/\(VaultGenerations.currentName) is missing")
                }
                return false
            }
            let environment: Environment
            do {
                environment = try Environment.open(
                    directory: source.path(name), options: Environment.Options(maxDatabases: 8, readOnly: true))
            } catch let error where error.meansDamage || attempt == 3 {
                if error.code == .noSuchFile {
                    throw VaultError.damaged(
                        "\(VaultGenerations.currentName) names generation \(name), which is not there")
                }
                throw VaultError.damaged("\(error.detail ?? error.cause) (copying generation \(name))")
            } catch {
                continue  // a sealing published a new generation and removed this one: read `current` again
            }
            try target.prepare(name)
            try VaultError.wrappingStorage("copying the personal-data vault") {
                try environment.copy(to: target.path(name), compact: true)
            }
            try target.publish(name)
            if let copied = check(storeDirectory: backup.path, deep: true), !copied.isValid {
                throw VaultError(
                    .corrupted,
                    "the copy of the personal-data vault does not check out: \(copied.problems.joined(separator: "; "))"
                )
            }
            return true
        }
        throw VaultError(.storage, "the personal-data vault kept changing while it was copied: run the backup again")
    }
}
