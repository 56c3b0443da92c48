import EventStore

/// What one command reads, and the stream versions it read them at.
///
/// Every read of a stream records the version read as the append's expected version for that
/// stream (optimistic concurrency): if another command changes it before this one's append, the
/// append fails with ``CommandRejection/Code/streamVersionConflict`` and writes nothing. Cases are
/// read through the same working state the rules admit the command's events into (``LogState``), so
/// a command decides on exactly what its events are checked against. The board (``RosterView``) is
/// read as of one log position, the first ``head()`` the command asks for; a command that decides on
/// the whole board also expects the `roster` stream (``expectRoster(_:)``).
///
/// Used by one command on one task; not thread-safe.
final class CommandContext {
    let store: EventStore
    let envelope: CommandEnvelope
    let vault: PersonalDataVault?
    /// The aggregates read and admitted into.
    let log: LogState
    private let rosterCache: RosterViewCache
    private let policyCache: PolicyViewCache
    private(set) var expectations: [String: ExpectedVersion] = [:]
    private var rosterAtHead: RosterView?
    private var policyAtHead: PolicyView?

    init(
        store: EventStore, envelope: CommandEnvelope, vault: PersonalDataVault?, rosterCache: RosterViewCache,
        policyCache: PolicyViewCache, log: LogState
    ) {
        self.store = store
        self.envelope = envelope
        self.vault = vault
        self.rosterCache = rosterCache
        self.policyCache = policyCache
        self.log = log
    }

    /// When the command happened.
    var occurredAt: Timestamp { envelope.occurredAt }

    /// Expects `stream` at `version` (0: the stream must not exist). The first expectation of a
    /// stream stands.
    func expect(_ stream: String, version: UInt64) {
        if expectations[stream] == nil { expectations[stream] = .exactly(version) }
    }

    /// The log's head, read once per command: the position board and policy reads are made at, and
    /// what a decision records as `decidedAtPosition`.
    func head() throws -> UInt64 {
        try board().position
    }

    /// The board as of the log's head, read once per command. The head and the board are read
    /// together, so concurrent commands never ask the shared cache for a board older than the one
    /// it holds (which would refold the whole log).
    private func board() throws -> RosterView {
        if let rosterAtHead { return rosterAtHead }
        let view = try rosterCache.latest(of: store)
        rosterAtHead = view
        return view
    }

    // MARK: - Cases

    /// The file of `caseId`, empty if the case was never reported; expected at the version read.
    func caseFile(_ caseId: CaseID) throws -> CaseFile {
        try log.read(CaseFile.stream(caseId))
    }

    /// The file of a reported case, or ``CommandRejection/Code/unknownCase`` at `field`.
    func existingCase(_ caseId: CaseID, field: String = "/caseId") throws -> CaseFile {
        let file = try caseFile(caseId)
        guard file.exists else {
            throw CommandRejection(.unknownCase, "case \(caseId) was never reported", field: field)
        }
        return file
    }

    // MARK: - Board and policy

    /// The board as of ``head()``. Reading it expects no stream: see ``expectRoster(_:)`` and
    /// ``responder(_:field:)``.
    func roster() throws -> RosterView {
        try board()
    }

    /// Expects the `roster` stream at the version `view` folded: for decisions that read shifts and
    /// time off.
    func expectRoster(_ view: RosterView) {
        expect(RosterView.rosterStream, version: view.rosterVersion)
    }

    /// A registered responder as of ``head()``, their stream expected at the version read; or
    /// ``CommandRejection/Code/unknownResponder`` at `field`.
    func responder(_ id: ResponderID, field: String) throws -> RosterView.Entry {
        guard let entry = try roster().responder(id) else {
            throw CommandRejection(.unknownResponder, "responder \(id) is not registered", field: field)
        }
        expect(RosterView.stream(id), version: entry.streamVersion)
        return entry
    }

    /// The policy in force as of ``head()``, the `policy` stream expected at the version read.
    func policy() throws -> PolicyView {
        if let policyAtHead { return policyAtHead }
        let view = try policyCache.view(of: store, through: try head())
        expect(PolicyView.stream, version: view.streamVersion)
        policyAtHead = view
        return view
    }
}
