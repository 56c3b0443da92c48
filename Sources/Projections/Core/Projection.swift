public import FirstResponder

/// A view for people: a fold of the log into rows of its own tables (ARCHITECTURE decision 9).
///
/// A projection names the event types it folds in ``folds(_:)`` — a switch over every
/// ``CatalogEvent/Kind`` without a `default:`, so a new event type of the catalog cannot be ignored by
/// accident — switches over them in ``apply(_:_:)``, and reads and writes its rows through its
/// ``RowTable``s. It never reads the log itself, the wall clock or another projection: the runner
/// hands it every event it folds in order, exactly once, and the same log always gives the same rows.
///
/// The runner stores the rows with the projection's checkpoint in one transaction; a rebuild folds
/// the whole log into fresh tables. ``version`` is part of the stored view: raise it whenever the fold
/// or a row type changes, and the runner rebuilds the stored view instead of reading rows it would
/// misread.
public protocol Projection: AnyObject {
    /// The projection's name: its databases and checkpoint are named after it.
    static var name: String { get }
    /// The version of its fold and row types.
    static var version: Int { get }
    /// What it keeps, for people.
    static var summary: String { get }
    /// A projection with empty state whose tables read missing rows from `backend`.
    init(backend: any RowBackend)
    /// Its tables, for the runner to write and digest.
    var tables: [any AnyRowTable] { get }
    /// Folds one event.
    func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws
    /// Whether ``apply(_:_:)`` keeps anything of events of type `kind`: the runner hands a projection
    /// only the events it folds, and decodes no event that no projection folds (a switch over every
    /// type of the catalog, so a new type is decided here).
    static func folds(_ kind: CatalogEvent.Kind) -> Bool
    /// How its rows fall apart by key, when a rebuild may fold them in parts on several threads
    /// (``Partitioning``); `nil` (the default) folds it whole.
    static var partitioning: Partitioning? { get }
    /// Whether it folds events of type `kind` — a case event type it ``folds(_:)`` — from their case
    /// and envelope alone, never reading the rest of the payload: the runner then hands them to
    /// ``apply(_:caseId:_:)`` with the case id a binary payload starts with
    /// (``CatalogEvent/leadingCaseId(of:kind:)``), and decodes nothing more of them unless another
    /// projection reads them whole. A JSON payload is decoded and handed to ``apply(_:_:)`` as before,
    /// which must keep the same rows. A partitioned projection's key for such an event is its case id.
    /// `false` for every type by default.
    static func foldsWithoutPayload(_ kind: CatalogEvent.Kind) -> Bool
    /// Folds an event of a type ``foldsWithoutPayload(_:)`` names, from its case id and envelope.
    func apply(_ kind: CatalogEvent.Kind, caseId: CaseID, _ envelope: EventEnvelope) throws
}

extension Projection {
    /// Every type it folds is decoded.
    public static func foldsWithoutPayload(_ kind: CatalogEvent.Kind) -> Bool { false }

    /// Not called for a projection that folds every type decoded; one that names a type in
    /// ``foldsWithoutPayload(_:)`` without folding it here fails the fold (its batch is not stored)
    /// rather than stopping the process.
    public func apply(_ kind: CatalogEvent.Kind, caseId: CaseID, _ envelope: EventEnvelope) throws {
        throw ProjectionError(
            .unsupported,
            "\(Self.name) names \(kind) among the types it folds without their payload but does not fold it so")
    }
}
