public import EventStore

extension PersonalDataVault {
    /// Seals `youthRef`'s record: destroys the youth's key and the encrypted details, and leaves a
    /// tombstone so later reads say ``VaultRead/sealed(_:)`` instead of ``VaultRead/unknown`` and
    /// later stores are refused. Sealing a youth the vault never held still leaves the tombstone.
    /// Sealing again changes nothing and returns ``SealOutcome/alreadySealed(_:)`` with the original
    /// tombstone.
    ///
    /// It runs two transactions:
    ///
    /// 1. overwrite the wrapped key and the details with zeros of the same length, and write the
    ///    tombstone;
    /// 2. delete the zeroed entries.
    ///
    /// LMDB keeps the two latest committed trees (one per meta page). After step 2 both of them —
    /// the zeroed one and the deleted one — lack the key, so no committed snapshot reachable from
    /// either meta page holds it. If the process stops between the steps, the record already
    /// reads as sealed and sealing again finishes step 2.
    ///
    /// **Residue.** LMDB never writes a page in place: the pages that held the key and the
    /// ciphertext before step 1 go to the free list and keep their old bytes until LMDB reuses
    /// them. Those bytes are unreachable through LMDB, but a raw scan of `data.mdb` with the master
    /// key could recover them. A compacting copy (`mdb_env_copy2` with `MDB_CP_COMPACT`,
    /// ``LMDB/Environment/copy(to:compact:)``; the coming `vigil backup --compact`) writes only
    /// live pages: replacing the data file with such a copy, and destroying old backups, purges the
    /// residue. Rotating the master key (re-wrapping every live key) also makes any residue of
    /// wrapped keys useless once the old master key is destroyed.
    ///
    /// The event log is not touched: the command layer appends `RecordSealed` to the youth's case
    /// streams; the hash chain still verifies and aggregate statistics survive.
    ///
    /// - Parameters:
    ///   - youthRef: the youth's pseudonymous reference.
    ///   - authorisedBy: who authorised the sealing, a staff reference (`user:…`, `system:…`, `service:…`).
    ///   - legalBasis: the legal basis, as `RecordSealed` records it.
    ///   - sealedAt: when the sealing took effect, from the edge.
    @discardableResult
    public func seal(
        _ youthRef: String,
        authorisedBy: String,
        legalBasis: SealInfo.LegalBasis,
        at sealedAt: Timestamp
    ) throws(VaultError) -> SealOutcome {
        try Self.validateYouthRef(youthRef)
        try Self.validatePersonRef(authorisedBy, field: "authorisedBy")
        let ref = Array(youthRef.utf8)
        let dbs = databases
        let tombstone = SealInfo(
            youthRef: youthRef, sealedAt: sealedAt, authorisedBy: authorisedBy, legalBasis: legalBasis)

        let (outcome, zeroed) = try VaultError.wrappingStorage("sealing \(youthRef)") {
            try environment.write { txn -> (SealOutcome, Bool) in
                var zeroed = false
                for db in [dbs.keys, dbs.details] {
                    if let value = try txn.get(db, key: ref) {
                        try txn.put(db, key: ref, value: [UInt8](repeating: 0, count: value.count))
                        zeroed = true
                    }
                }
                if let existing = try txn.get(dbs.seals, key: ref) {
                    return (.alreadySealed(try VaultRecords.decodeSeal(existing, ref: youthRef)), zeroed)
                }
                try txn.put(dbs.seals, key: ref, value: VaultRecords.encode(tombstone))
                return (.sealed(tombstone), zeroed)
            }
        }
        if zeroed {
            try VaultError.wrappingStorage("sealing \(youthRef)") {
                try environment.write { txn in
                    try ref.withUnsafeBytes { key in
                        try txn.delete(dbs.keys, key: key)
                        try txn.delete(dbs.details, key: key)
                    }
                }
            }
        }
        return outcome
    }

    /// Throws ``VaultError`` unless `ref` is a staff reference as the catalog's `personRef` defines
    /// it: `^(user|system|service):[a-z0-9][a-z0-9._-]{0,99}$`.
    static func validatePersonRef(_ ref: String, field: String) throws(VaultError) {
        let b = Array(ref.utf8)
        let prefix = ["user:", "system:", "service:"].first { b.starts(with: $0.utf8) }
        let rest = b.dropFirst(prefix?.utf8.count ?? 0)
        func isLowerOrDigit(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        let valid =
            prefix != nil && (1...100).contains(rest.count) && isLowerOrDigit(rest.first!)
            && rest.allSatisfy { isLowerOrDigit($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
        guard valid else {
            throw .invalid(
                field,
                "must be a staff reference such as user:supervisor-3 (user:, system: or service:, "
                    + "then lower-case letters, digits, . _ -)")
        }
    }
}
