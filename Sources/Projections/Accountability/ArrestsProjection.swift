public import FirstResponder

/// Arrests with every correction applied and voids kept apart, and the operations they belong to.
///
/// Tables: `arrests` (arrest id → ``ArrestRow``), `operations` (operation id → ``OperationRow``).
public final class ArrestsProjection: Projection {
    public static let name = "arrests"
    public static let version = 3
    public static let summary = "arrests with corrections applied and voids kept apart; operations"

    /// Arrests.
    public static let arrests = TableRef<ArrestRow>(projection: name, table: "arrests")
    /// Operations.
    public static let operations = TableRef<OperationRow>(projection: name, table: "operations")

    let arrests: RowTable<ArrestRow>
    let operations: RowTable<OperationRow>

    public init(backend: any RowBackend) {
        arrests = RowTable("arrests", backend: backend)
        operations = RowTable("operations", backend: backend)
    }

    public var tables: [any AnyRowTable] { [arrests, operations] }

    public func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        let at = envelope.occurredAt.microseconds
        switch event {
        case .arrestRecorded(let e):
            // An arrest id is recorded once; the command layer refuses a second.
            guard try arrests.get(e.arrestId.rawValue) == nil else { return }
            arrests.put(
                e.arrestId.rawValue,
                ArrestRow(
                    e, recordedAt: envelope.recordedAt.microseconds,
                    enteredLate: LateEntryRule.isLate(occurredAt: envelope.occurredAt, recordedAt: envelope.recordedAt))
            )
        case .arrestCorrected(let e):
            try arrests.update(e.arrestId.rawValue) { row in
                guard row.voided == nil else { return }
                row.take(try row.arrest().applying(e.corrections))
                row.corrections += 1
            }
        case .arrestVoided(let e):
            try arrests.update(e.arrestId.rawValue) { row in
                if row.voided == nil { row.voided = ArrestRow.Void(at: at, reasonCode: e.reasonCode.rawValue) }
            }
        case .operationStarted(let e):
            operations.put(
                e.operationId.rawValue,
                OperationRow(
                    operationId: e.operationId.rawValue, name: e.name, agency: e.agency.rawValue, area: e.area.rawValue,
                    station: e.station, focus: e.focus?.rawValue, startedAt: at, endedAt: nil))
        case .operationEnded(let e):
            try operations.update(e.operationId.rawValue) { $0.endedAt = at }
        case .operationCorrected(let e):
            // Each corrected field replaced, as the rules read the operation (OperationStarted.applying).
            try operations.update(e.operationId.rawValue) { row in
                let c = e.corrections
                row.name = c.name ?? row.name
                row.agency = c.agency?.rawValue ?? row.agency
                row.area = c.area?.rawValue ?? row.area
                row.station = c.station ?? row.station
                row.focus = c.focus?.rawValue ?? row.focus
                row.startedAt = c.startedAt?.microseconds ?? row.startedAt
                row.endedAt = c.endedAt?.microseconds ?? row.endedAt
            }
        case .operationVoided(let e):
            // A voided operation is no named operation: it leaves the view, and arrests that name it
            // count as in none (ArrestsQuery).
            operations.delete(e.operationId.rawValue)
        default:
            // Not folded here: the runner hands it only what folds(_:) names.
            break
        }
    }

    public static func folds(_ kind: CatalogEvent.Kind) -> Bool {
        switch kind {
        case .arrestRecorded, .arrestCorrected, .arrestVoided, .operationStarted, .operationEnded, .operationCorrected,
            .operationVoided:
            true
        case .recoveryReported, .youthIdentityLinked, .hotlineReferralCreated, .caseDeemedOutOfScope,
            .responseRequested, .recommendationComputed, .responderAssigned, .notificationSent,
            .assignmentAcknowledged, .assignmentDeclined, .ackTimeoutElapsed, .assignmentEscalated, .responderEnRoute,
            .responderArrived, .responderCleared, .responseCancelled, .slaBreached, .servicesOffered,
            .servicesAccepted, .servicesDeclined, .medicalEvaluationCompleted, .medicalEvaluationDeclined,
            .placementDecided, .mdtMeetingHeld, .youthWentMissing, .youthReturned, .protocolWindowClosed,
            .caseClosed, .caseReopened, .recordSealed, .recoveryCorrected, .recoveryVoided, .placementCorrected,
            .placementVoided, .trainingSessionHeld, .parentProgramCohortStarted,
            .parentProgramCohortCompleted, .responderRegistered, .responderDeactivated, .shiftScheduled,
            .shiftSwapped, .timeOffRecorded, .responderStatusChanged, .policyChanged, .accessRecorded,
            .checkpointSigned, .legalHoldPlaced, .legalHoldReleased, .timerScheduled,
            .timerCancelled, .timerFired, .trainingSessionCorrected, .trainingSessionVoided,
            .parentProgramCohortCorrected, .parentProgramCohortVoided,
            .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed, .courseRetired:
            // Nothing this view keeps.
            false
        }
    }
}

/// One arrest, as last corrected.
public struct ArrestRow: Codable, Sendable, Equatable {
    /// The arrest.
    public var arrestId: String
    /// trafficker, exploiter, buyer or other.
    public var role: String
    /// The arresting agency.
    public var agency: String
    /// The agency's name, for independent departments.
    public var agencyName: String?
    /// The station.
    public var station: String
    /// The Service Planning Area.
    public var area: String
    /// When the arrest was made (µs): places it in a period.
    public var arrestedAt: Int64
    /// The operation it was made in.
    public var operationId: String?
    /// Cases it is linked to.
    public var linkedCaseIds: [String]
    /// Charges, when recorded.
    public var charges: [String]?
    /// When the log recorded it (µs).
    public var recordedAt: Int64
    /// Whether it was recorded late (``LateEntryRule``).
    public var enteredLate: Bool
    /// Corrections applied.
    public var corrections = 0
    /// The void, if it was voided (then it is never counted).
    public var voided: Void?
    /// The arrest as last corrected, in the catalog's binary form.
    var payload: [UInt8]

    /// A void.
    public struct Void: Codable, Sendable, Equatable {
        /// When.
        public var at: Int64
        /// duplicate-entry, entered-in-error, not-csec-related or other.
        public var reasonCode: String
    }

    init(_ e: ArrestRecorded, recordedAt: Int64, enteredLate: Bool) {
        arrestId = e.arrestId.rawValue
        role = ""
        agency = ""
        station = ""
        area = ""
        arrestedAt = 0
        linkedCaseIds = []
        payload = []
        self.recordedAt = recordedAt
        self.enteredLate = enteredLate
        take(e)
    }

    /// The arrest as the domain type, to apply a correction to (read back from its binary form).
    func arrest() throws -> ArrestRecorded { try ArrestRecorded(binaryBytes: payload) }

    mutating func take(_ e: ArrestRecorded) {
        role = e.role.rawValue
        agency = e.agency.rawValue
        agencyName = e.agencyName
        station = e.station
        area = e.area.rawValue
        arrestedAt = e.arrestedAt.microseconds
        operationId = e.operationId?.rawValue
        linkedCaseIds = e.linkedCaseIds.map(\.rawValue)
        charges = e.charges
        payload = e.binaryBytes()
    }
}

/// A named operation.
public struct OperationRow: Codable, Sendable, Equatable {
    /// The operation.
    public var operationId: String
    /// Its name.
    public var name: String
    /// The lead agency.
    public var agency: String
    /// The area.
    public var area: String
    /// The station.
    public var station: String?
    /// Its focus.
    public var focus: String?
    /// When it started (µs).
    public var startedAt: Int64
    /// When it ended (µs).
    public var endedAt: Int64?
}
