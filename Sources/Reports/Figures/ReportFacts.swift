public import EventStore
public import FirstResponder
public import Projections

/// The countable facts as the report reads them from the views (``ReportFacts/init(_:policies:head:)``),
/// each with the time that places it in a reporting period: a recovery (and the clocks, milestones
/// and dispatch actions of its case) by its contact time, an arrest by its arrest time (as
/// corrected), a training class by the day it was held, a parent cohort by the day it started.
///
/// Which case is a recovery, who the youth is, which recovery is a repeat, how a clock ends, which
/// milestones fall in the 72 hours and which arrests count are decided by the views' rules
/// (``CountedRecovery``, ``ServiceLevelClocks``, ``CaseRecord/windowEnd``, the `arrests` view's
/// corrections and voids), never here. Voided arrests are kept apart (``voidedArrests``) and never
/// counted; cases deemed out of scope are kept with their reason and counted as exclusions.
public struct ReportFacts: Sendable {
    /// One recovery (a reported case).
    public struct Recovery: Sendable {
        /// When the officer came into contact with the youth: places the recovery in a period.
        public var contactAt: Timestamp
        /// The youth, resolved through identity links: the earliest reference known for them.
        public var youth: String
        /// Whether the same youth was recovered before (an earlier contact in the log).
        public var isRepeat: Bool
        /// Contacting agency.
        public var agency: String
        /// Contacting station.
        public var station: String
        /// Service Planning Area of the contact.
        public var area: String
        /// The youth's age at contact, if known.
        public var age: Int?
        /// Why the case was deemed out of scope, if it was (then it is not counted as a recovery).
        public var outOfScope: String?
        /// Corrections of the recovery applied (`RecoveryCorrected`): its fields are counted as corrected.
        public var corrections: Int
        /// Whether the report was entered late (``LateEntryRule``).
        public var enteredLate: Bool
        /// The case's 72-hour milestones (``CaseMilestones``, the domain's rule).
        public var milestones: CaseMilestones
        /// When its 72-hour window ends (``CaseRecord/windowEnd``).
        public var windowEnd: Timestamp
        /// The first placement decided, and its kind.
        public var placement: (at: Timestamp, kind: String)?
        /// The youth's first answer to the services offered.
        public var servicesAnswer: (at: Timestamp, accepted: Bool)?
        /// Dispatch actions on the case's requests.
        public var actions: DispatchActions
    }

    /// An on-scene clock (ADVOCATE-ON-SCENE or AGENCY-ON-SCENE) as the `cases` view measures it
    /// (``ServiceLevelClocks``, the one definition of every clock), with the contact that places it.
    public struct OnSceneClock: Sendable {
        /// The case's contact time.
        public var contactAt: Timestamp
        /// The clock.
        public var clock: Projections.Clock
    }

    /// Counts of dispatch actions.
    public struct DispatchActions: Sendable, Hashable {
        /// Notifications sent.
        public var notifications = 0
        /// Assignments acknowledged.
        public var acknowledgements = 0
        /// Assignments declined.
        public var declines = 0
        /// Acknowledgement timeouts.
        public var timeouts = 0
        /// Escalations to the next candidate or a supervisor.
        public var escalations = 0

        /// No actions.
        public init() {}

        static func + (a: Self, b: Self) -> Self {
            var s = a
            s.notifications += b.notifications
            s.acknowledgements += b.acknowledgements
            s.declines += b.declines
            s.timeouts += b.timeouts
            s.escalations += b.escalations
            return s
        }
    }

    /// One arrest, corrections applied.
    public struct Arrest: Sendable {
        /// trafficker, exploiter, buyer or other.
        public var role: String
        /// When it was made (as last corrected): places it in a period.
        public var arrestedAt: Timestamp
        /// The operation it was made in.
        public var operationId: String?
        /// The Service Planning Area.
        public var area: String
        /// Corrections applied.
        public var corrections: Int
        /// Whether it was entered late.
        public var enteredLate: Bool
    }

    /// One training class.
    public struct Session: Sendable {
        /// The day it was held (its occurredAt).
        public var heldAt: Timestamp
        /// The course's code.
        public var courseCode: String
        /// The course's title.
        public var courseTitle: String
        /// The audience's sector.
        public var audienceSector: String
        /// People trained.
        public var attendees: Int
        /// Whether it was entered late.
        public var enteredLate: Bool
    }

    /// One Parent Empowerment Program cohort.
    public struct Cohort: Sendable {
        /// When it started.
        public var startedAt: Timestamp
        /// Parents and caregivers enrolled at the start.
        public var participants: Int
        /// When it completed, with its completers.
        public var completed: (at: Timestamp, participants: Int, completers: Int)?
    }

    /// A policy version and when it came into force.
    public struct Policy: Sendable {
        /// The version.
        public var version: Int
        /// When it came into force (occurredAt).
        public var from: Timestamp
        /// The on-scene thresholds, minutes.
        public var advocateOnSceneMinutes: Int
        /// The agency on-scene threshold, minutes.
        public var agencyOnSceneMinutes: Int
    }

    /// Recoveries, in log order.
    public var recoveries: [Recovery] = []
    /// Every on-scene clock, evaluated at the last recorded time.
    public var onScene: [OnSceneClock] = []
    /// Countable arrests (not voided), in log order.
    public var arrests: [Arrest] = []
    /// Voided arrests, as last corrected before the void.
    public var voidedArrests: [Arrest] = []
    /// The contact times of recoveries voided as reported in error (counted nowhere else).
    public var voidedRecoveries: [Timestamp] = []
    /// Operations' names by id.
    public var operations: [String: String] = [:]
    /// Training classes.
    public var sessions: [Session] = []
    /// Parent cohorts.
    public var cohorts: [Cohort] = []
    /// Policy changes, in order.
    public var policies: [Policy] = []
    /// The position the views stand at, and the chain hash there.
    public var head = LogHead(position: 0, hash: [UInt8](repeating: 0, count: 32))
    /// When the event at that position was recorded.
    public var lastRecordedAt: Timestamp?

    /// No facts.
    public init() {}
}
