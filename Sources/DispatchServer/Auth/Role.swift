/// What a token may do. Each role reaches only what its job needs (WIC 827: a juvenile case file is
/// for the parties the law lists), and the one table of who may call what is ``Endpoint``'s
/// `roles` and ``CommandPermissions``.
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    /// Takes recoveries, assigns responders (by policy or with an override reason), watches the board.
    case dispatcher
    /// An advocate or agency worker in the field: acknowledges, declines, reports en route, arrival,
    /// clearing and the 72-hour milestones of the cases they serve.
    case responder
    /// Everything a dispatcher does, plus the roster, policy parameters, closing, reopening and sealing.
    case supervisor
    /// Aggregate figures only (response times, arrests, training): never a case, never a youth.
    case analyst
    /// Reads the decision audit, case timelines (pseudonymous) and the access log; writes nothing.
    case auditor
    /// Runs the daemon: metrics and operations. Sees no case and no youth.
    case admin
    /// A follower (`vigil follow`) copying the log: reads the event export and stream only, and sees
    /// every record (the access log's too: a replica is a whole copy, whose chain must match).
    case replica

    /// What the role is for, in a few words (for `vigil token` and the API's 403s).
    public var summary: String {
        switch self {
        case .dispatcher: "dispatch: intake, assignment, the live board"
        case .responder: "the field: acknowledge, en route, arrive, clear, milestones"
        case .supervisor: "dispatch plus roster, policy, closing and sealing"
        case .analyst: "aggregate figures only"
        case .auditor: "decision audit, case timelines, access log (read-only)"
        case .admin: "operations: metrics (no case data)"
        case .replica: "a follower's copy of the whole log (events only)"
        }
    }

    /// The roles that may read a youth's identifying details from the vault.
    public static let vaultReaders: Set<Role> = [.dispatcher, .responder, .supervisor]

    /// The roles that may see a case (its pseudonymous file, the board).
    public static let caseReaders: Set<Role> = [.dispatcher, .responder, .supervisor]

    /// The roles held by people (every role but a follower's): the page's session routes.
    public static let people: Set<Role> = Set(allCases).subtracting([.replica])

    /// The roles that may read the log itself (`GET /v1/events`, `/v1/events/stream`).
    public static let logReaders: Set<Role> = [.dispatcher, .supervisor, .auditor, .replica]

    /// The log's readers that see the access log's records in it; the others read past them.
    public static let accessLogReaders: Set<Role> = [.auditor, .replica]

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
