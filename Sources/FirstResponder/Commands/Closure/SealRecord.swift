import EventStore

/// Seals a youth's record by court order or law (WIC 781/786, vacatur): destroys the youth's
/// personal data in the vault (crypto-shredding, ``PersonalDataVault/seal(_:authorisedBy:legalBasis:at:)``)
/// and appends `RecordSealed` (scope `youth`) to **every case of the youth** — the cases of the
/// case's youth reference and of every reference linked with it — each of which must be closed.
/// The events stay, the hash chain still verifies, and counts still include the cases.
///
/// Order: every check first; then the vault (each linked reference sealed; sealing again is a no-op);
/// then the one append. If the append then fails (a concurrent change), the data is destroyed and
/// the vault's tombstone records who and why, but the log has no `RecordSealed` yet: retry the
/// command, which finds the vault sealed and appends. The other order would leave a window in which
/// the log says "sealed" while the data can still be read.
public struct SealRecord: Command, JSONCommand {
    public static let name = "seal-record"
    public var envelope: CommandEnvelope
    /// A case of the youth.
    public var caseId: CaseID
    /// The legal basis.
    public var legalBasis: RecordSealed.LegalBasis
    /// Required with `other`.
    public var legalBasisDetail: String?
    /// Who authorised it: a staff reference (the judge's clerk, the supervisor).
    public var authorisedBy: String
    /// The court order's reference, when there is one.
    public var courtOrderRef: String?

    /// The command.
    public init(
        caseId: CaseID, legalBasis: RecordSealed.LegalBasis, legalBasisDetail: String? = nil, authorisedBy: String,
        courtOrderRef: String? = nil, envelope: CommandEnvelope
    ) {
        self.caseId = caseId
        self.legalBasis = legalBasis
        self.legalBasisDetail = legalBasisDetail
        self.authorisedBy = authorisedBy
        self.courtOrderRef = courtOrderRef
        self.envelope = envelope
    }

    init(json f: inout CommandFields) throws(DomainValidationError) {
        self.init(
            caseId: try f.id("caseId", CaseID.self),
            legalBasis: try f.value("legalBasis", RecordSealed.LegalBasis.self),
            legalBasisDetail: try f.optionalReason("legalBasisDetail"), authorisedBy: try f.string("authorisedBy"),
            courtOrderRef: try f.optionalString("courtOrderRef"), envelope: f.envelope)
    }

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
