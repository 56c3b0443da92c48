public import EventStore

/// The dispatch board as of one log position: who is registered, their status, their shifts and
/// time off, their open assignments (workload), when they were last assigned (rotation) and which
/// youth they have served (continuity). ``snapshot()`` gives the ``RosterSnapshot`` a
/// ``DispatchPolicy`` reads.
///
/// **A fold over the log, not an inline projection.** The view is rebuilt by folding the log from
/// position 1 up to the position asked for (``load(from:through:)``), and kept current in memory by
/// ``RosterViewCache``, which only folds the events appended since its last use. Why:
///
/// - an audit needs the board *as of* the position a decision was made at, which a projection
///   holding only the current state cannot give; with a fold, the live decision and the audit use
///   the same code on the same events, so the audit's agreement means something;
/// - a county's protocol writes tens of thousands of events a year: the fold decodes only case,
///   roster and responder events (~110k events/s measured in a debug build), so a decade's log is
///   folded once per process in seconds, after which each command folds the few events appended
///   since the previous one;
/// - no second on-disk format to version and migrate. A persistent, checkpointed board belongs to
///   the projections layer, which can reuse ``apply(_:)``.
///
/// Case events pass the case lifecycle first, exactly as in ``CaseFile``.
///
/// Sources: `responder-*` streams (registration, deactivation, status), the `roster` stream (shifts,
/// swaps applied, time off), case streams (`RecoveryReported` and `YouthIdentityLinked` for the
/// youth; assignments, escalations, arrivals, clearances and cancellations for workload, rotation
/// and continuity).
public struct RosterView: Sendable {
    /// One registered responder on the board.
    public struct Entry: Sendable {
        /// The latest registration (re-registering replaces the details).
        public var registration: ResponderRegistered {
            didSet { registered = Self.registered(registration) }
        }
        /// The registration as a policy reads it (id, role, languages, areas, stations, ages), made once
        /// per registration instead of once per responder per decision; ``RosterView/snapshot(at:youth:)``
        /// adds the board's state.
        private(set) var registered: RosterSnapshot.Responder
        /// Whether they were deactivated since.
        public var deactivated = false
        /// Their board status.
        public var status: ResponderStatus = .available
        /// The case they are committed to while assigned, en route or on scene.
        public var activeCase: CaseID?
        /// The request they are committed to.
        public var activeRequest: RequestID?
        /// The version of their `responder-<id>` stream.
        public var streamVersion: UInt64 = 0
        /// When they were last assigned (occurredAt).
        public var lastAssignedAt: Timestamp?
        /// Youth they have been with (arrived for).
        public var youthServed: Set<YouthRef> = []

        /// A responder just registered with `registration`.
        init(registration: ResponderRegistered) {
            self.registration = registration
            self.registered = Self.registered(registration)
        }

        private static func registered(_ r: ResponderRegistered) -> RosterSnapshot.Responder {
            RosterSnapshot.Responder(
                id: r.responderId.rawValue, role: r.role.rawValue, languages: r.languages,
                areas: r.areas.map(\.rawValue), stations: r.stations ?? [],
                servesAges: r.servesAges.map { $0.min...$0.max })
        }

        /// Their id.
        public var id: ResponderID { registration.responderId }
        /// Their role.
        public var role: ResponderRole { registration.role }
        /// Whether a dispatch holds them: assigned, en route or on scene.
        public var isCommitted: Bool { status.isCommitted }
    }

    /// A shift, with swaps applied.
    public struct Shift: Sendable, Hashable {
        /// The shift's id.
        public var shiftId: ShiftID
        /// Whose it is now.
        public var responderId: ResponderID
        /// When it starts.
        public var startsAt: Timestamp
        /// When it ends (exclusive).
        public var endsAt: Timestamp
        /// On call rather than on duty.
        public var onCall: Bool
        /// Areas covered, when they differ from the responder's.
        public var areas: [Area]?
        /// Its place in scheduling order.
        var sequence = 0
    }

    /// The last log position folded (0: nothing yet).
    public internal(set) var position: UInt64 = 0
    /// The version of the `roster` stream folded: what a decision cites as `rosterVersion`.
    public internal(set) var rosterVersion: UInt64 = 0
    /// Responders by id.
    public internal(set) var responders: [ResponderID: Entry] = [:]
    /// Responder ids in the order they first registered.
    public internal(set) var registrationOrder: [ResponderID] = []
    /// Shifts by id.
    public internal(set) var shifts: [ShiftID: Shift] = [:]
    /// Shift ids in the order they were scheduled.
    public internal(set) var shiftOrder: [ShiftID] = []
    /// Time off, in the order it was recorded.
    public internal(set) var timeOff: [TimeOffRecorded] = []
    /// Shifts by the day they start, to find those covering an instant.
    var shiftIndex = IntervalIndex<ShiftID>()
    /// The scheduling order the next new shift id gets (``Shift/sequence``): a count of the ids
    /// scheduled, which forgetting ended shifts (``forgetShifts(endedAtOrBefore:)``) does not lower.
    var nextShiftSequence = 0
    /// Time off (indexes into ``timeOff``) by the day it starts.
    var timeOffIndex = IntervalIndex<Int>()
    /// Positions of relevant events that could not be decoded (skipped).
    public internal(set) var undecodable: [UInt64] = []

    /// The youth of each case.
    var caseYouth = ShardedDictionary<CaseID, YouthRef>()
    /// Open assignments: (case, request) → responder.
    var openAssignments: [AssignmentKey: ResponderID] = [:]
    /// The lifecycle state of every case, by stream.
    var caseStates = ShardedDictionary<String, CaseState>()
    /// Youth references linked as one person (union–find parents).
    var youthParent: [YouthRef: YouthRef] = [:]
    /// Each group's other references, by the group's representative (its ``root(_:)``): a group is
    /// found without a look at every linked reference.
    var youthGroups: [YouthRef: [YouthRef]] = [:]

    struct AssignmentKey: Hashable, Sendable {
        var caseId: CaseID
        var requestId: RequestID
    }

    /// An empty board (before position 1).
    public init() {}

    /// The stream shifts, swaps and time off live in.
    public static let rosterStream = "roster"

    /// The stream of a responder.
    public static func stream(_ responderId: ResponderID) -> String { "responder-\(responderId.rawValue)" }

    /// The responder with `id`, if registered.
    public func responder(_ id: ResponderID) -> Entry? { responders[id] }

    /// The number of open assignments of `id` (assigned and not cleared, escalated away or cancelled).
    public func openAssignments(of id: ResponderID) -> Int {
        openAssignments.values.reduce(0) { $0 + ($1 == id ? 1 : 0) }
    }

    /// The board as of `position`: a fold of the log from position 1 through `position`.
    public static func load(from store: EventStore, through position: UInt64) throws -> RosterView {
        var view = RosterView()
        try view.catchUp(store, through: position)
        return view
    }

    /// Folds the events after ``position`` through `target`.
    public mutating func catchUp(_ store: EventStore, through target: UInt64) throws {
        guard target > position else { return }
        try store.scan(from: position + 1, through: target) { view in apply(view) }
    }
}
