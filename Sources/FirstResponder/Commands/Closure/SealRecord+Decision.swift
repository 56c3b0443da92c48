import EventStore
import Foundation

/// Sealing touches two stores — the vault (the youth's key and details destroyed) and the log
/// (`RecordSealed` appended to every case of the youth) — and LMDB has no transaction across two
/// environments. The order and the intent make every interruption finishable:
///
/// 1. every check first (each case closed, the vault at hand);
/// 2. the vault, in **one** transaction: keys and details deleted, tombstones written, and the
///    `RecordSealed` events to append recorded as a ``PendingSeal`` (the intent); then the vault is
///    rebuilt without the sealed records;
/// 3. the one append of those events — their ids are fixed per case and youth, so appending them
///    again is an idempotent retry;
/// 4. the intent removed.
///
/// Stopped after 2 (a crash, a concurrent change, a full disk), the data is destroyed and the
/// intent says what the log still lacks: ``CommandHandler/finishInterruptedSeals()`` (run by
/// `vigil command` before anything else) appends it, and so does a retry of the command. The log
/// never says "sealed" while the data can still be read. A case sealed already gets no second
/// `RecordSealed`: the same command again is answered with its events, any other is refused.
extension SealRecord {
    func decide(_ context: CommandContext) throws -> Decision {
        guard let vault = context.vault else {
            throw CommandRejection(.noVault, "sealing destroys the youth's personal data: the handler needs the vault")
        }
        let file = try context.existingCase(caseId)
        guard let youthRef = file.youthRef else { return Decision() }
        let roster = try context.roster()
        var caseIds = roster.cases(ofYouth: youthRef)
        if !caseIds.contains(caseId) { caseIds.append(caseId) }
        // A standing legal hold on any case of the youth keeps the whole record (read, so a hold
        // placed meanwhile conflicts with this append).
        if let hold = try context.log.legalHolds().standing(on: caseIds) {
            throw CommandRejection(
                .lifecycle(.underLegalHold), LegalHoldRegister.sealingRefused(caseId, hold), field: "/caseId")
        }
        var refs = roster.linkedYouthRefs(youthRef)
        var decision = Decision()
        var sealedBefore: [RecordedEvent] = []
        for id in caseIds.sorted() {
            let other = try context.existingCase(id)
            guard !other.state.phase.isOpen else {
                throw CommandRejection(
                    .lifecycle(.caseStillOpen),
                    "case \(id) of the youth is \(other.state.phase): every case of the youth must be closed first",
                    field: id == caseId ? "/caseId" : nil)
            }
            guard let ref = other.youthRef else { continue }
            refs.insert(ref)
            let eventID = Self.eventID(caseId: id, youthRef: ref)
            let event = RecordSealed(
                caseId: id, youthRef: ref, scope: .youth, legalBasis: legalBasis, legalBasisDetail: legalBasisDetail,
                authorisedBy: authorisedBy, courtOrderRef: courtOrderRef)
            if other.state.phase == .sealed {
                // Sealed before: only this very command again (a retry) repeats its event.
                guard let stored = try context.store.event(id: eventID), isRetry(of: stored, event, context) else {
                    if let stored = try context.store.event(id: eventID) { sealedBefore.append(stored) }
                    continue
                }
            }
            decision.append(event, id: eventID)
        }
        guard let first = decision.events.first?.id else {
            throw alreadySealed(youthRef, sealedBefore, vault)
        }
        let basis = SealInfo.LegalBasis(rawValue: legalBasis.rawValue) ?? .other
        let authorisedBy = self.authorisedBy
        let at = context.occurredAt
        let sealing = refs.map(\.rawValue).sorted()
        decision.beforeAppend = { request in
            do throws(VaultError) {
                try vault.seal(
                    sealing, authorisedBy: authorisedBy, legalBasis: basis, at: at,
                    completing: PendingSeal(request: request))
            } catch {
                throw CommandRejection(
                    .vault, "sealing \(sealing.joined(separator: ", ")) failed: \(error.message)", cause: error)
            }
        }
        decision.afterAppend = { try vault.completeSeal(first) }
        return decision
    }

    /// The id of the `RecordSealed` of case `caseId` for youth `youthRef`: one per case, ever.
    static func eventID(caseId: CaseID, youthRef: YouthRef) -> UUID {
        DeterministicID.make("RecordSealed \(caseId.rawValue) \(youthRef.rawValue)")
    }

    /// Whether `stored` was appended by this same command: same event, time, actor and command id.
    private func isRetry(of stored: RecordedEvent, _ event: RecordSealed, _ context: CommandContext) -> Bool {
        stored.occurredAt == context.occurredAt && stored.actor == context.envelope.actor
            && stored.causationId == context.envelope.commandId
            && stored.payload == event.newEvent(occurredAt: context.occurredAt, actor: context.envelope.actor).payload
    }

    private func alreadySealed(_ youthRef: YouthRef, _ sealed: [RecordedEvent], _ vault: PersonalDataVault)
        -> CommandRejection
    {
        var message = "the record of youth \(youthRef) is sealed already"
        if case .sealed(let info)? = try? vault.read(youthRef.rawValue) {
            message +=
                " (sealed at \(info.sealedAt) under \(info.legalBasis.rawValue), authorised by \(info.authorisedBy))"
        }
        if !sealed.isEmpty {
            message +=
                "; RecordSealed at position\(sealed.count > 1 ? "s" : "") "
                + sealed.map { String($0.position) }.joined(separator: ", ")
        }
        return CommandRejection(.recordSealed, message + ": a record is sealed once", field: "/caseId")
    }
}
