/// Who is asking: the holder of a valid, unrevoked token.
public struct Principal: Sendable, Equatable {
    /// The token's id (`tok-…`), the same in `vigil token list` and the access log.
    public var tokenId: String
    /// The holder, as events record actors: `user:dispatcher-7` or `service:cad-bridge`.
    public var actor: String
    /// What the token may do.
    public var role: Role

    /// A principal.
    public init(tokenId: String, actor: String, role: Role) {
        self.tokenId = tokenId
        self.actor = actor
        self.role = role
    }
}
