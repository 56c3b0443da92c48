/// Which roles may run each protocol command over the API: the one table. A command not listed
/// (one added to the contract later) is the supervisor's until it is placed here.
public enum CommandPermissions {
    /// What a responder does in the field; dispatchers and supervisors may record it for them.
    static let field: Set<String> = [
        "acknowledge", "decline", "en-route", "arrive", "clear", "offer-services", "accept-services",
        "decline-services", "complete-medical-evaluation", "decline-medical-evaluation", "decide-placement",
        "correct-placement", "void-placement",
        "hold-mdt-meeting", "report-missing", "report-returned", "change-responder-status",
    ]

    /// Dispatch and the records a dispatch desk keeps: intake, assignment, closing, arrests, operations,
    /// training (each with its corrections and voids).
    static let dispatch: Set<String> = [
        "report-recovery", "correct-recovery", "void-recovery", "link-youth-identity", "create-hotline-referral",
        "deem-out-of-scope", "request-response",
        "assign-by-policy", "assign-manually", "cancel-response", "notify", "close-case", "reopen-case",
        "close-protocol-window", "record-arrest", "correct-arrest", "void-arrest", "start-operation", "end-operation",
        "correct-operation", "void-operation", "hold-training-session", "correct-training-session",
        "void-training-session", "start-parent-cohort", "complete-parent-cohort", "correct-parent-cohort",
        "void-parent-cohort",
    ]

    /// The roster, the policy's parameters, sealing and legal holds, and the county's reference data (areas, agencies,
    /// stations, courses): supervisors only.
    static let supervision: Set<String> = [
        "change-policy", "schedule-shift", "swap-shift", "record-time-off", "register-responder",
        "deactivate-responder", "seal-record", "register-area", "rename-area", "retire-area", "register-agency",
        "rename-agency", "retire-agency", "register-station", "rename-station", "retire-station", "register-course",
        "rename-course", "retire-course", "place-legal-hold", "release-legal-hold",
    ]

    /// The engine's own commands, never taken from a client (the timer loop runs them).
    static let system: Set<String> = ["handle-timer-fired"]

    /// The roles that may run `command`.
    public static func roles(for command: String) -> Set<Role> {
        if field.contains(command) { return [.responder, .dispatcher, .supervisor] }
        if dispatch.contains(command) { return [.dispatcher, .supervisor] }
        if system.contains(command) { return [] }
        return [.supervisor]
    }

    /// Every role that may run some command.
    static let anyCommand: Set<Role> = [.responder, .dispatcher, .supervisor]
}
