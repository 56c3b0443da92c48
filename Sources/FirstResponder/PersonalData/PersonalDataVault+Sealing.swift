public import EventStore
public import Foundation

extension PersonalDataVault {
    /// Seals `youthRef`'s record (see ``seal(_:authorisedBy:legalBasis:at:completing:)``).
    @discardableResult
    public func seal(
        _ youthRef: String,
        authorisedBy: String,
        legalBasis: SealInfo.LegalBasis,
        at sealedAt: Timestamp
    ) throws(VaultError) -> SealOutcome {
        try seal([youthRef], authorisedBy: authorisedBy, legalBasis: legalBasis, at: sealedAt)[0]
    }

    /// Seals the records of `youthRefs`: destroys each youth's key and encrypted details, and leaves
    /// a tombstone so later reads say ``VaultRead/sealed(_:)`` and later stores are refused. Sealing
    /// a youth the vault never held still leaves the tombstone; a youth sealed before keeps its
    /// original tombstone (``SealOutcome/alreadySealed(_:)``).
    ///
    /// **Nothing is left behind.** One transaction deletes the keys and details, writes the
    /// tombstones and `pending` (the `RecordSealed` events still to append, ``PendingSeal``), and
    /// marks the purge pending. Then the vault is **rebuilt**: every live record is copied into a
    /// fresh environment (the next generation, `VaultGenerations`) — the sealed youths' never were in
    /// it, so no free page, slack space or reused buffer can hold their bytes — which is synced and
    /// published, and the old generation's files are deleted. When this returns, no file of the
    /// data directory holds the wrapped key or the ciphertext. A process that had the old generation
    /// open (a reader in the middle of a read) keeps reading its unlinked files until it closes them;
    /// on its next operation it moves to the new one. A crash before the old files are gone leaves
    /// the purge marked pending, and the next writing open finishes it.
    ///
    /// The log is not touched: the command layer appends `pending`'s events, then calls
    /// ``completeSeal(_:)``.
    ///
    /// - Parameters:
    ///   - youthRefs: the youths' pseudonymous references.
    ///   - authorisedBy: who authorised the sealing, a staff reference (`user:…`, `system:…`, `service:…`).
    ///   - legalBasis: the legal basis, as `RecordSealed` records it.
    ///   - sealedAt: when the sealing took effect, from the edge.
    ///   - pending: the `RecordSealed` events to append, each with its id.
    @discardableResult
    public func seal(
        _ youthRefs: [String],
        authorisedBy: String,
        legalBasis: SealInfo.LegalBasis,
        at sealedAt: Timestamp,
        completing pending: PendingSeal? = nil
    ) throws(VaultError) -> [SealOutcome] {
        for ref in youthRefs { try Self.validateYouthRef(ref) }
        try Self.validatePersonRef(authorisedBy, field: "authorisedBy")
        if let pending, pending.events.contains(where: { $0.id == nil }) {
            throw .invalid("pending", "every RecordSealed event of a sealing needs its id")
        }
        return try writes.withLock { _ throws(VaultError) -> [SealOutcome] in
            let generation = try current()
            let dbs = generation.databases
            let (outcomes, destroyed) = try VaultError.wrappingStorage("sealing \(youthRefs.joined(separator: ", "))") {
                try generation.environment.write { txn -> ([SealOutcome], Bool) in
                    var outcomes: [SealOutcome] = []
                    var destroyed = false
                    for youthRef in youthRefs {
                        let ref = Array(youthRef.utf8)
                        if let existing = try txn.get(dbs.seals, key: ref) {
                            outcomes.append(.alreadySealed(try VaultRecords.decodeSeal(existing, ref: youthRef)))
                            continue
                        }
                        for db in [dbs.keys, dbs.details] where try txn.get(db, key: ref) != nil {
                            try ref.withUnsafeBytes { _ = try txn.delete(db, key: $0) }
                            destroyed = true
                        }
                        let tombstone = SealInfo(
                            youthRef: youthRef, sealedAt: sealedAt, authorisedBy: authorisedBy, legalBasis: legalBasis)
                        try txn.put(dbs.seals, key: ref, value: VaultRecords.encode(tombstone))
                        outcomes.append(.sealed(tombstone))
                    }
                    if let pending, let id = pending.id {
                        let key = withUnsafeBytes(of: id.uuid) { Array($0) }
                        if try txn.get(dbs.intents, key: key) == nil {
                            try txn.put(dbs.intents, key: key, value: pending.encoded())
                        }
                    }
                    if destroyed { try txn.put(dbs.meta, key: VaultRecords.compactionPendingKey, value: [1]) }
                    return (outcomes, destroyed)
                }
            }
            if destroyed { try rebuild(from: generation) }
            return outcomes
        }
    }

    /// The sealings whose `RecordSealed` events may not be in the log yet, oldest first.
    public func pendingSeals() throws(VaultError) -> [PendingSeal] {
        let generation = try current()
        let intents = generation.databases.intents
        let records: [[UInt8]] = try VaultError.wrappingStorage("reading pending sealings") {
            try generation.environment.read { txn in
                try txn.withCursor(intents) { cursor in
                    var out: [[UInt8]] = []
                    var entry = try cursor.first()
                    while let e = entry {
                        out.append(Array(e.value))
                        entry = try cursor.next()
                    }
                    return out
                }
            }
        }
        return try records.map { (record) throws(VaultError) -> PendingSeal in
            guard let pending = PendingSeal(decoding: record) else {
                throw VaultError(.corrupted, "a pending sealing in the personal-data vault cannot be decoded")
            }
            return pending
        }.sorted {
            ($0.events.first?.occurredAt ?? .init(microseconds: 0))
                < ($1.events.first?.occurredAt ?? .init(microseconds: 0))
        }
    }

    /// Removes the pending sealing `id` once its events are in the log.
    public func completeSeal(_ id: UUID) throws(VaultError) {
        try writes.withLock { _ throws(VaultError) in
            let generation = try current()
            let intents = generation.databases.intents
            try VaultError.wrappingStorage("completing a sealing") {
                try generation.environment.write { txn in
                    try withUnsafeBytes(of: id.uuid) { _ = try txn.delete(intents, key: $0) }
                }
            }
        }
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
