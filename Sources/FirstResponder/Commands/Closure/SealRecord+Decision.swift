import EventStore

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
        var refs = roster.linkedYouthRefs(youthRef)
        var decision = Decision()
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
            decision.append(
                RecordSealed(
                    caseId: id, youthRef: ref, scope: .youth, legalBasis: legalBasis,
                    legalBasisDetail: legalBasisDetail,
                    authorisedBy: authorisedBy, courtOrderRef: courtOrderRef))
        }
        let basis = SealInfo.LegalBasis(rawValue: legalBasis.rawValue) ?? .other
        let authorisedBy = self.authorisedBy
        let at = context.occurredAt
        let sealing = refs.map(\.rawValue).sorted()
        decision.beforeAppend = {
            for ref in sealing {
                do throws(VaultError) {
                    try vault.seal(ref, authorisedBy: authorisedBy, legalBasis: basis, at: at)
                } catch {
                    throw CommandRejection(.vault, "sealing \(ref) failed: \(error.message)", cause: error)
                }
            }
        }
        return decision
    }
}
