/// One API token as stored: never the token itself, only its SHA-256.
public struct TokenRecord: Codable, Sendable, Equatable {
    /// The token's id (`tok-` and 12 hex digits): the token's second part, shown by `vigil token
    /// list`, named in the access log. Not a secret.
    public var id: String
    /// Who holds it, as events name actors (`user:dispatcher-7`, `service:cad-bridge`).
    public var actor: String
    /// What it may do.
    public var role: Role
    /// SHA-256 of the whole token, lowercase hex.
    public var sha256: String
    /// When it was made (RFC 3339).
    public var createdAt: String
    /// When it was revoked (RFC 3339), if it was.
    public var revokedAt: String?

    /// Whether the token still opens the API.
    public var isActive: Bool { revokedAt == nil }
}
