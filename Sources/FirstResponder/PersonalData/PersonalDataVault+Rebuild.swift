import LMDB

extension PersonalDataVault {
    /// Whether a sealing's purge is unfinished in `generation`.
    func compactionPending(_ generation: Generation) throws(VaultError) -> Bool {
        try VaultError.wrappingStorage("reading the personal-data vault") {
            try generation.environment.read { txn in
                try txn.get(generation.databases.meta, key: VaultRecords.compactionPendingKey) != nil
            }
        }
    }

    /// Rebuilds the vault into the next generation: every live record of `old`, read through LMDB,
    /// is written into a fresh environment — so the new files hold no byte of what `old` deleted —
    /// which is synced and published as current; then `old`'s files are deleted. Call with
    /// ``writes`` held.
    func rebuild(from old: Generation) throws(VaultError) {
        let records: [[(key: [UInt8], value: [UInt8])]] = try VaultError.wrappingStorage(
            "reading the vault to purge it"
        ) {
            try old.environment.read { txn in
                try old.databases.all.map { name, database in
                    try txn.withCursor(database) { cursor in
                        var out: [(key: [UInt8], value: [UInt8])] = []
                        var entry = try cursor.first()
                        while let e = entry {
                            let key = Array(e.key)
                            if !(name == "vaultMeta" && key == VaultRecords.compactionPendingKey) {
                                out.append((key, Array(e.value)))
                            }
                            entry = try cursor.next()
                        }
                        return out
                    }
                }
            }
        }
        let name = VaultGenerations.next(after: old.name)
        try generations.prepare(name)
        let fresh = try Self.openGeneration(
            name, inode: 0, generations, readOnly: false, check: VaultRecords.keyCheck(masterKey), creating: true)
        try VaultError.wrappingStorage("writing the purged vault") {
            try fresh.environment.write { txn in
                for ((_, database), entries) in zip(fresh.databases.all, records) {
                    try txn.clear(database)
                    for (key, value) in entries { try txn.put(database, key: key, value: value, flags: .append) }
                }
            }
        }
        try generations.publish(name)
        guard let inode = generations.currentInode() else {
            throw VaultError(.storage, "the personal-data vault's current generation vanished while it was published")
        }
        adopt(Generation(name: name, inode: inode, environment: fresh.environment, databases: fresh.databases))
        generations.removeStale(keeping: name)
    }
}
