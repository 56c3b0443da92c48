public import EventStore

/// What the vault holds for a youth reference.
public enum VaultRead: Sendable, Hashable {
    /// The youth's details, decrypted.
    case details(YouthDetails)
    /// The record was sealed: the details were destroyed and cannot be read by anyone.
    case sealed(SealInfo)
    /// The vault never held details for this reference (and it was never sealed).
    case unknown
}

/// The tombstone a sealing leaves: who authorised it, on what legal basis, and when. It holds no
/// personal data; the youth reference is pseudonymous.
public struct SealInfo: Sendable, Hashable, CustomStringConvertible {
    /// The legal basis of a sealing, as the catalog's `RecordSealed.legalBasis` names it.
    public enum LegalBasis: String, Sendable, Hashable, CaseIterable {
        /// WIC 781: sealing on petition.
        case wic781 = "WIC-781"
        /// WIC 786: sealing on completion of probation.
        case wic786 = "WIC-786"
        /// Vacatur: relief for victims of trafficking.
        case vacatur
        /// Another basis (the `RecordSealed` event carries the detail).
        case other
    }

    /// The sealed youth's reference.
    public let youthRef: String
    /// When the sealing took effect (from the edge; the vault reads no clock).
    public let sealedAt: Timestamp
    /// Who authorised it: a staff reference such as `user:supervisor-3`.
    public let authorisedBy: String
    /// The legal basis.
    public let legalBasis: LegalBasis

    /// A tombstone.
    public init(youthRef: String, sealedAt: Timestamp, authorisedBy: String, legalBasis: LegalBasis) {
        self.youthRef = youthRef
        self.sealedAt = sealedAt
        self.authorisedBy = authorisedBy
        self.legalBasis = legalBasis
    }

    public var description: String {
        "\(youthRef) sealed at \(sealedAt) under \(legalBasis.rawValue), authorised by \(authorisedBy)"
    }
}

/// What ``PersonalDataVault/seal(_:authorisedBy:legalBasis:at:)`` did.
public enum SealOutcome: Sendable, Hashable {
    /// The youth's key and details were destroyed (if there were any) and this tombstone written.
    case sealed(SealInfo)
    /// The youth was sealed before; the original tombstone stands unchanged.
    case alreadySealed(SealInfo)

    /// The tombstone in force.
    public var info: SealInfo {
        switch self {
        case .sealed(let info), .alreadySealed(let info): info
        }
    }
}
