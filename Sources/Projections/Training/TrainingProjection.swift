public import FirstResponder

/// Training sessions held and the Parent Empowerment Program's cohorts.
///
/// Tables: `sessions` (session id → ``SessionRow``), `cohorts` (cohort id → ``CohortRow``).
public final class TrainingProjection: Projection {
    public static let name = "training"
    public static let version = 2
    public static let summary = "training sessions and people trained; parent program cohorts"

    /// Sessions.
    public static let sessions = TableRef<SessionRow>(projection: name, table: "sessions")
    /// Cohorts.
    public static let cohorts = TableRef<CohortRow>(projection: name, table: "cohorts")

    let sessions: RowTable<SessionRow>
    let cohorts: RowTable<CohortRow>

    public init(backend: any RowBackend) {
        sessions = RowTable("sessions", backend: backend)
        cohorts = RowTable("cohorts", backend: backend)
    }

    public var tables: [any AnyRowTable] { [sessions, cohorts] }

    public func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        let at = envelope.occurredAt.microseconds
        switch event {
        case .trainingSessionHeld(let e):
            sessions.put(
                e.sessionId.rawValue,
                SessionRow(
                    sessionId: e.sessionId.rawValue, courseCode: e.courseCode, courseTitle: e.courseTitle,
                    audienceSector: e.audienceSector.rawValue, attendees: e.attendees, area: e.area?.rawValue,
                    delivery: e.delivery?.rawValue, durationMinutes: e.durationMinutes, heldAt: at,
                    enteredLate: LateEntryRule.isLate(occurredAt: envelope.occurredAt, recordedAt: envelope.recordedAt))
            )
        case .parentProgramCohortStarted(let e):
            cohorts.put(
                e.cohortId.rawValue,
                CohortRow(
                    cohortId: e.cohortId.rawValue, weeks: e.weeks, participants: e.participants, area: e.area?.rawValue,
                    language: e.language, startedAt: at))
        case .parentProgramCohortCompleted(let e):
            try cohorts.update(e.cohortId.rawValue) { row in
                row.completedAt = at
                row.completedParticipants = e.participants
                row.completers = e.completers
            }
        case .trainingSessionCorrected(let e):
            // Each corrected field replaced, as the rules read the session (TrainingSessionHeld.applying).
            try sessions.update(e.sessionId.rawValue) { row in
                let c = e.corrections
                row.courseCode = c.courseCode ?? row.courseCode
                row.courseTitle = c.courseTitle ?? row.courseTitle
                row.audienceSector = c.audienceSector?.rawValue ?? row.audienceSector
                row.attendees = c.attendees ?? row.attendees
                row.area = c.area?.rawValue ?? row.area
                row.delivery = c.delivery?.rawValue ?? row.delivery
                row.durationMinutes = c.durationMinutes ?? row.durationMinutes
                row.heldAt = c.heldAt?.microseconds ?? row.heldAt
            }
        case .trainingSessionVoided(let e):
            // A voided session is not counted: it leaves the view (the log keeps it).
            sessions.delete(e.sessionId.rawValue)
        case .parentProgramCohortCorrected(let e):
            try cohorts.update(e.cohortId.rawValue) { row in
                let c = e.corrections
                row.weeks = c.weeks ?? row.weeks
                row.participants = c.participants ?? row.participants
                row.area = c.area?.rawValue ?? row.area
                row.language = c.language ?? row.language
                row.startedAt = c.startedAt?.microseconds ?? row.startedAt
                if row.completedAt != nil {
                    row.completedAt = c.completedAt?.microseconds ?? row.completedAt
                    row.completedParticipants = c.participantsAtEnd ?? row.completedParticipants
                    row.completers = c.completers ?? row.completers
                }
            }
        case .parentProgramCohortVoided(let e):
            cohorts.delete(e.cohortId.rawValue)
        default:
            // Not folded here: the runner hands it only what folds(_:) names.
            break
        }
    }

    public static func folds(_ kind: CatalogEvent.Kind) -> Bool {
        switch kind {
        case .trainingSessionHeld, .parentProgramCohortStarted, .parentProgramCohortCompleted,
            .trainingSessionCorrected, .trainingSessionVoided, .parentProgramCohortCorrected,
            .parentProgramCohortVoided:
            true
        case .recoveryReported, .youthIdentityLinked, .hotlineReferralCreated, .caseDeemedOutOfScope,
            .responseRequested, .recommendationComputed, .responderAssigned, .notificationSent,
            .assignmentAcknowledged, .assignmentDeclined, .ackTimeoutElapsed, .assignmentEscalated, .responderEnRoute,
            .responderArrived, .responderCleared, .responseCancelled, .slaBreached, .servicesOffered,
            .servicesAccepted, .servicesDeclined, .medicalEvaluationCompleted, .medicalEvaluationDeclined,
            .placementDecided, .mdtMeetingHeld, .youthWentMissing, .youthReturned, .protocolWindowClosed,
            .caseClosed, .caseReopened, .recordSealed, .recoveryCorrected, .recoveryVoided, .placementCorrected,
            .placementVoided, .operationStarted, .operationEnded, .arrestRecorded,
            .arrestCorrected, .arrestVoided, .responderRegistered, .responderDeactivated, .shiftScheduled,
            .shiftSwapped, .timeOffRecorded, .responderStatusChanged, .policyChanged, .accessRecorded,
            .checkpointSigned, .legalHoldPlaced, .legalHoldReleased, .timerScheduled,
            .timerCancelled, .timerFired, .operationCorrected, .operationVoided,
            .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed, .courseRetired:
            // Nothing this view keeps.
            false
        }
    }
}

/// One training session.
public struct SessionRow: Codable, Sendable, Equatable {
    /// The session.
    public var sessionId: String
    /// The course's code.
    public var courseCode: String
    /// The course's title.
    public var courseTitle: String
    /// The audience's sector.
    public var audienceSector: String
    /// People trained.
    public var attendees: Int
    /// The area, when recorded.
    public var area: String?
    /// in-person, virtual or hybrid.
    public var delivery: String?
    /// Its length in minutes.
    public var durationMinutes: Int?
    /// When it was held (µs): places it in a period.
    public var heldAt: Int64
    /// Whether it was recorded late.
    public var enteredLate: Bool
}

/// One Parent Empowerment Program cohort.
public struct CohortRow: Codable, Sendable, Equatable {
    /// The cohort.
    public var cohortId: String
    /// Its length in weeks.
    public var weeks: Int
    /// Parents and caregivers enrolled at the start.
    public var participants: Int
    /// The area.
    public var area: String?
    /// The language it is held in.
    public var language: String?
    /// When it started (µs): places it in a period.
    public var startedAt: Int64
    /// When it completed (µs).
    public var completedAt: Int64?
    /// Participants at the end.
    public var completedParticipants: Int?
    /// Those who completed it.
    public var completers: Int?
}
