public import EventStore

/// Which time places a fact in a reporting period (a quarter, a fiscal year, "the first eight
/// months"): one rule, here, for every view and report (docs/EVENTS.md, *Which time places a fact in
/// a reporting period*).
///
/// - A **recovery**, and everything about its case — its response clocks, dispatch actions, 72-hour
///   milestones, missing spells, closure — by the **contact** (`contactAt`): the Board counts what
///   happened to the youth recovered in the period, and a report entered late lands in the period
///   the contact happened in, not the one it was typed in.
/// - An **arrest** by when it was made (`arrestedAt`, as last corrected): a correction of the time
///   moves it, a correction of anything else does not.
/// - A **training class** by the day it was held, a **parent cohort** by the day it started, an
///   **operation** by the day it began: their events' `occurredAt` (the day they happened in the
///   field), whenever they were recorded.
///
/// Corrections and voids place nothing of their own: they change the fact they name, which is placed
/// by its own time as corrected. Roster, policy, timer and reference-data events are not counted facts,
/// nor are the access log's records, nor the log's signed checkpoints.
public enum ReportingTime {
    /// The instant that places the fact `event` records (stored with `occurredAt`; in a case whose
    /// contact was at `caseContactAt`) in a reporting period, or `nil` when the event places no fact
    /// of its own.
    public static func instant(of event: CatalogEvent, occurredAt: Timestamp, caseContactAt: Timestamp? = nil)
        -> Timestamp?
    {
        switch event {
        case .recoveryReported(let e): e.contactAt
        case .arrestRecorded(let e): e.arrestedAt
        case .trainingSessionHeld, .parentProgramCohortStarted, .operationStarted: occurredAt
        case .arrestCorrected, .arrestVoided, .parentProgramCohortCompleted, .operationEnded: nil
        case .trainingSessionCorrected, .trainingSessionVoided, .parentProgramCohortCorrected,
            .parentProgramCohortVoided, .operationCorrected, .operationVoided, .recoveryCorrected, .recoveryVoided,
            .placementCorrected,
            .placementVoided:
            nil
        case .responderRegistered, .responderDeactivated, .responderStatusChanged, .shiftScheduled, .shiftSwapped,
            .timeOffRecorded, .policyChanged:
            nil
        // The access log records reads of the data, not facts of the protocol.
        case .accessRecorded: nil
        case .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed, .courseRetired:
            nil
        // A checkpoint signs the log; it is not a fact of the protocol.
        case .checkpointSigned: nil
        // A legal hold keeps a record; it is not a fact of the protocol.
        case .legalHoldPlaced, .legalHoldReleased: nil
        case .timerScheduled(let e): e.caseId == nil ? nil : caseContactAt
        case .timerCancelled(let e): e.caseId == nil ? nil : caseContactAt
        case .timerFired(let e): e.caseId == nil ? nil : caseContactAt
        case .youthIdentityLinked, .hotlineReferralCreated, .caseDeemedOutOfScope, .responseRequested,
            .recommendationComputed, .responderAssigned, .notificationSent, .assignmentAcknowledged,
            .assignmentDeclined, .ackTimeoutElapsed, .assignmentEscalated, .responderEnRoute, .responderArrived,
            .responderCleared, .responseCancelled, .slaBreached, .servicesOffered, .servicesAccepted,
            .servicesDeclined, .medicalEvaluationCompleted, .medicalEvaluationDeclined, .placementDecided,
            .mdtMeetingHeld, .youthWentMissing, .youthReturned, .protocolWindowClosed, .caseClosed, .caseReopened,
            .recordSealed:
            caseContactAt
        }
    }
}
