public import EventStore

/// What a dispatch decision reads about the request: who is needed, where, for whom, and when.
public struct DispatchRequest: Sendable, Equatable {
    /// The case.
    public var caseId: String
    /// The response request within the case.
    public var requestId: String
    /// The role needed: advocate, dcfs, probation, dmh or dhs.
    public var role: String
    /// The Service Planning Area of the recovery (`SPA1` … `SPA8`).
    public var area: String
    /// The station or patrol area of the recovery.
    public var station: String
    /// The youth's language when known (BCP 47).
    public var language: String?
    /// The youth's pseudonymous reference.
    public var youthRef: String
    /// The youth's age at contact, when known.
    public var age: Int?
    /// Whether the youth is on AWOL status (the advocacy agency does not serve AWOL youth).
    public var awol: Bool
    /// When the decision is made: the deciding command's occurredAt (never the wall clock).
    public var at: Timestamp
    /// Responders who already declined or let this request time out, with the reason code
    /// (`declined-already`, `timed-out-already`).
    public var alreadyTried: [String: String]

    /// A request.
    public init(
        caseId: String, requestId: String, role: String, area: String, station: String, language: String? = nil,
        youthRef: String, age: Int? = nil, awol: Bool = false, at: Timestamp, alreadyTried: [String: String] = [:]
    ) {
        self.caseId = caseId
        self.requestId = requestId
        self.role = role
        self.area = area
        self.station = station
        self.language = language
        self.youthRef = youthRef
        self.age = age
        self.awol = awol
        self.at = at
        self.alreadyTried = alreadyTried
    }
}

/// What a dispatch decision reads about the people who could respond, as of one roster version.
public struct RosterSnapshot: Sendable, Equatable {
    /// A registered responder.
    public struct Responder: Sendable, Equatable {
        /// The responder's id.
        public var id: String
        /// Their role.
        public var role: String
        /// Languages they speak.
        public var languages: [String]
        /// Service Planning Areas they cover.
        public var areas: [String]
        /// Stations they are attached to or cover.
        public var stations: [String]
        /// Ages they serve (inclusive), when limited.
        public var servesAges: ClosedRange<Int>?
        /// Whether they are deactivated.
        public var deactivated: Bool
        /// Their status on the board: available, assigned, en-route, on-scene, cleared, off-duty.
        public var status: String
        /// The case they are committed to, when assigned, en route or on scene.
        public var activeCase: String?
        /// Open assignments (workload).
        public var openAssignments: Int
        /// When they were last assigned, for rotation.
        public var lastAssignedAt: Timestamp?
        /// Cases with this responder per youth reference (continuity).
        public var youthServed: Set<String>

        /// A responder.
        public init(
            id: String, role: String, languages: [String] = ["en"], areas: [String], stations: [String] = [],
            servesAges: ClosedRange<Int>? = nil, deactivated: Bool = false, status: String = "available",
            activeCase: String? = nil, openAssignments: Int = 0, lastAssignedAt: Timestamp? = nil,
            youthServed: Set<String> = []
        ) {
            self.id = id
            self.role = role
            self.languages = languages
            self.areas = areas
            self.stations = stations
            self.servesAges = servesAges
            self.deactivated = deactivated
            self.status = status
            self.activeCase = activeCase
            self.openAssignments = openAssignments
            self.lastAssignedAt = lastAssignedAt
            self.youthServed = youthServed
        }
    }

    /// A scheduled shift (after swaps).
    public struct Shift: Sendable, Equatable {
        /// Whose shift.
        public var responderId: String
        /// When it starts.
        public var startsAt: Timestamp
        /// When it ends (exclusive).
        public var endsAt: Timestamp
        /// On call (reachable, not at a desk) rather than on duty.
        public var onCall: Bool
        /// Areas covered on this shift, when they differ from the responder's.
        public var areas: [String]?

        /// A shift.
        public init(
            responderId: String, startsAt: Timestamp, endsAt: Timestamp, onCall: Bool = false, areas: [String]? = nil
        ) {
            self.responderId = responderId
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.onCall = onCall
            self.areas = areas
        }
    }

    /// Recorded time off.
    public struct TimeOff: Sendable, Equatable {
        /// Whose.
        public var responderId: String
        /// From.
        public var startsAt: Timestamp
        /// Until (exclusive).
        public var endsAt: Timestamp

        /// Time off.
        public init(responderId: String, startsAt: Timestamp, endsAt: Timestamp) {
            self.responderId = responderId
            self.startsAt = startsAt
            self.endsAt = endsAt
        }
    }

    /// The version of the `roster` stream this snapshot was read at.
    public var version: UInt64
    /// Everyone registered, in registration order.
    public var responders: [Responder]
    /// Shifts.
    public var shifts: [Shift] { didSet { shiftIndex = ShiftIndex(shifts) } }
    /// Time off.
    public var timeOff: [TimeOff]
    /// Each responder's shifts: a policy asks for the shift of every responder, which scanned every
    /// shift for each (responders × shifts string comparisons).
    private var shiftIndex: ShiftIndex

    /// The indexes into ``shifts`` of each responder's shifts, in order, as a chain through the
    /// shifts: the first of each responder's, and after each the next one of the same responder
    /// (−1: none). One dictionary entry per responder and no array per responder: a snapshot is made
    /// for every decision, over every shift covering its moment.
    private struct ShiftIndex: Sendable, Equatable {
        var first: [String: Int] = [:]
        var next: [Int] = []

        init(_ shifts: [Shift]) {
            first.reserveCapacity(shifts.count)
            next = Array(repeating: -1, count: shifts.count)
            // From the last shift back, each put before the responder's chain so far: chains in order.
            for i in shifts.indices.reversed() {
                let responder = shifts[i].responderId
                next[i] = first[responder] ?? -1
                first[responder] = i
            }
        }
    }

    /// A snapshot.
    public init(version: UInt64, responders: [Responder], shifts: [Shift] = [], timeOff: [TimeOff] = []) {
        self.version = version
        self.responders = responders
        self.shifts = shifts
        self.timeOff = timeOff
        self.shiftIndex = ShiftIndex(shifts)
    }

    /// The shift of `responder` covering `instant`, if any (the latest-starting one; of those starting
    /// together, the first in ``shifts``).
    public func shift(of responder: String, at instant: Timestamp) -> Shift? {
        var latest: Shift?
        var i = shiftIndex.first[responder] ?? -1
        while i >= 0 {
            let shift = shifts[i]
            i = shiftIndex.next[i]
            guard shift.startsAt <= instant && instant < shift.endsAt else { continue }
            if let found = latest, shift.startsAt <= found.startsAt { continue }
            latest = shift
        }
        return latest
    }

    /// Whether `responder` has time off at `instant`.
    public func isOff(_ responder: String, at instant: Timestamp) -> Bool {
        timeOff.contains { $0.responderId == responder && $0.startsAt <= instant && instant < $0.endsAt }
    }
}

/// The ranking weights a policy version uses; `PolicyChanged` events set them.
public struct RankingWeights: Sendable, Equatable {
    /// Bonus for the responder who already knows this youth.
    public var continuity: Double
    /// Penalty per open assignment.
    public var workload: Double
    /// Bonus per hour since the responder's last assignment (capped at 24 hours).
    public var rotation: Double
    /// Other named weights (a later policy version may read them, e.g. `distance`).
    public var extra: [String: Double]

    /// Weights.
    public init(continuity: Double = 100, workload: Double = 10, rotation: Double = 1, extra: [String: Double] = [:]) {
        self.continuity = continuity
        self.workload = workload
        self.rotation = rotation
        self.extra = extra
    }
}
