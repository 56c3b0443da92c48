extension ResponderStatus {
    /// Whether a responder in this status is held by a dispatch: assigned, en route or on scene. The
    /// one definition the commands' records, the dispatch board and the roster view share.
    public var isCommitted: Bool {
        switch self {
        case .assigned, .enRoute, .onScene: true
        case .available, .cleared, .offDuty: false
        }
    }
}
