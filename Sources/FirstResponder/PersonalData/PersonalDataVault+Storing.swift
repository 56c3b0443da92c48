import Crypto

extension PersonalDataVault {
    /// Stores `details` for `youthRef`, encrypted with the youth's own key: on first use the key is
    /// made from `rng` and kept wrapped with the master key; later stores replace the details,
    /// encrypted with the same key, under the next record version. Returns that version (1 first).
    ///
    /// Every call draws the same number of bytes from `rng` (key and nonces), whatever the vault
    /// holds. Pass `SystemRandomNumberGenerator` in production: AES-GCM nonces must never repeat
    /// under one key, so a seeded generator is for tests only.
    ///
    /// Throws ``VaultError``: ``VaultError/Code/invalidInput`` naming the field,
    /// ``VaultError/Code/sealed`` ("record is sealed") when the youth's record was sealed — sealed
    /// data is never stored again.
    @discardableResult
    public func store(
        _ details: YouthDetails,
        for youthRef: String,
        using rng: inout some RandomNumberGenerator
    ) throws(VaultError) -> UInt64 {
        try Self.validateYouthRef(youthRef)
        try details.validate()
        let fresh = randomBytes(32, using: &rng)
        let keyNonce = randomBytes(VaultRecords.nonceSize, using: &rng)
        let detailsNonce = randomBytes(VaultRecords.nonceSize, using: &rng)
        let ref = Array(youthRef.utf8)
        let master = masterKey
        return try writes.withLock { _ throws(VaultError) in
            let generation = try current()
            let dbs = generation.databases
            return try VaultError.wrappingStorage("storing the details of \(youthRef)") {
                try generation.environment.write { txn in
                    if try txn.get(dbs.seals, key: ref) != nil {
                        throw VaultError(
                            .sealed,
                            "record is sealed: \(youthRef)'s personal data was destroyed by a sealing "
                                + "and cannot be stored again")
                    }
                    let existing = try txn.get(dbs.details, key: ref)
                    let youthKey: SymmetricKey
                    if let wrapped = try txn.get(dbs.keys, key: ref) {
                        youthKey = try VaultRecords.unwrap(wrapped, ref: youthRef, master: master)
                    } else {
                        guard existing == nil else { throw VaultRecords.damaged(youthRef, "it has details but no key") }
                        let wrapped = try VaultRecords.wrap(
                            youthKey: fresh, ref: youthRef, nonce: keyNonce, master: master)
                        try txn.put(dbs.keys, key: ref, value: wrapped)
                        youthKey = SymmetricKey(data: fresh)
                    }
                    let version = try existing.map { try VaultRecords.version(ofDetails: $0, ref: youthRef) + 1 } ?? 1
                    let record = try VaultRecords.sealDetails(
                        details, ref: youthRef, version: version, nonce: detailsNonce, key: youthKey)
                    try txn.put(dbs.details, key: ref, value: record)
                    return version
                }
            }
        }
    }

    /// What the vault holds for `youthRef`: the decrypted details, the seal tombstone, or nothing.
    ///
    /// Throws ``VaultError``: ``VaultError/Code/invalidInput`` for a malformed reference,
    /// ``VaultError/Code/corrupted`` when a record does not authenticate.
    public func read(_ youthRef: String) throws(VaultError) -> VaultRead {
        try Self.validateYouthRef(youthRef)
        let ref = Array(youthRef.utf8)
        let generation = try current()
        let dbs = generation.databases
        let found: Found = try VaultError.wrappingStorage("reading \(youthRef)") {
            try generation.environment.read { txn -> Found in
                if let seal = try txn.get(dbs.seals, key: ref) { return .sealed(seal) }
                switch (try txn.get(dbs.keys, key: ref), try txn.get(dbs.details, key: ref)) {
                case (nil, nil): return .nothing
                case (let key?, let details?): return .stored(key: key, details: details)
                case (_?, nil): throw VaultRecords.damaged(youthRef, "it has a key but no details")
                case (nil, _?): throw VaultRecords.damaged(youthRef, "it has details but no key")
                }
            }
        }
        switch found {
        case .nothing:
            return .unknown
        case .sealed(let record):
            return .sealed(try VaultRecords.decodeSeal(record, ref: youthRef))
        case .stored(let wrapped, let record):
            let key = try VaultRecords.unwrap(wrapped, ref: youthRef, master: masterKey)
            return .details(try VaultRecords.openDetails(record, ref: youthRef, key: key))
        }
    }

    private enum Found {
        case nothing
        case sealed([UInt8])
        case stored(key: [UInt8], details: [UInt8])
    }
}
