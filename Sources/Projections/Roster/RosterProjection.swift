public import FirstResponder

/// The roster board: who is registered, their status and since when, their shifts and time off.
///
/// Tables: `responders` (id → ``ResponderRow``), `shifts` and `timeOff` (keyed by end, then id),
/// `shiftIndex` and `timeOffIndex` (id → key), `extents` (`longest` → ``RosterExtentsRow``).
public final class RosterProjection: Projection {
    public static let name = "roster"
    public static let version = 1
    public static let summary = "responders with their status and since when, shifts and time off"

    /// Responders.
    public static let responders = TableRef<ResponderRow>(projection: name, table: "responders")
    /// Shifts, by end.
    public static let shifts = TableRef<ShiftRow>(projection: name, table: "shifts")
    /// Time off, by end.
    public static let timeOff = TableRef<TimeOffRow>(projection: name, table: "timeOff")
    /// The longest shift and time off.
    public static let extents = TableRef<RosterExtentsRow>(projection: name, table: "extents")

    let responders: RowTable<ResponderRow>
    let shifts: RowTable<ShiftRow>
    let timeOff: RowTable<TimeOffRow>
    let shiftIndex: RowTable<IntervalIndexRow>
    let timeOffIndex: RowTable<IntervalIndexRow>
    let extents: RowTable<RosterExtentsRow>

    public init(backend: any RowBackend) {
        responders = RowTable("responders", backend: backend)
        shifts = RowTable("shifts", backend: backend)
        timeOff = RowTable("timeOff", backend: backend)
        shiftIndex = RowTable("shiftIndex", backend: backend)
        timeOffIndex = RowTable("timeOffIndex", backend: backend)
        extents = RowTable("extents", backend: backend)
    }

    public var tables: [any AnyRowTable] { [responders, shifts, timeOff, shiftIndex, timeOffIndex, extents] }

    /// The key of an interval ending at `endsAt` (µs): 16 hex digits of the time with the sign bit
    /// flipped (so text order is time order), `/`, the id.
    public static func intervalKey(_ endsAt: Int64, _ id: String) -> String {
        let biased = UInt64(bitPattern: endsAt) ^ (1 << 63)
        var id = id
        // Written in place: one key per shift and time off folded.
        return id.withUTF8 { idBytes in
            String(unsafeUninitializedCapacity: 17 + idBytes.count) { out in
                for i in 0..<16 {
                    let nibble = UInt8(truncatingIfNeeded: biased >> UInt64(60 - 4 * i)) & 0xF
                    out[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // 0-9, a-f
                }
                out[16] = 0x2F  // "/"
                for (i, byte) in idBytes.enumerated() { out[17 + i] = byte }
                return 17 + idBytes.count
            }
        }
    }

    public func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        let at = envelope.occurredAt.microseconds
        switch event {
        case .responderRegistered(let e):
            responders.put(
                e.responderId.rawValue,
                ResponderRow(
                    responderId: e.responderId.rawValue, role: e.role.rawValue, organization: e.organization,
                    displayName: e.displayName, languages: e.languages, areas: e.areas.map(\.rawValue),
                    stations: e.stations ?? [], deactivated: false, status: "available", statusSince: at,
                    activeCase: nil, activeRequest: nil, registeredAt: at))
        case .responderDeactivated(let e):
            try responders.update(e.responderId.rawValue) { r in
                r.deactivated = true
                r.statusSince = at
            }
        case .responderStatusChanged(let e):
            try responders.update(e.responderId.rawValue) { r in
                if r.status != e.status.rawValue { r.statusSince = at }
                r.status = e.status.rawValue
                let committed = e.status.isCommitted
                r.activeCase = committed ? e.caseId?.rawValue : nil
                r.activeRequest = committed ? e.requestId?.rawValue : nil
            }
        case .shiftScheduled(let e):
            try schedule(
                ShiftRow(
                    shiftId: e.shiftId.rawValue, responderId: e.responderId.rawValue, startsAt: e.startsAt.microseconds,
                    endsAt: e.endsAt.microseconds, onCall: e.onCall, areas: e.areas?.map(\.rawValue)))
        case .shiftSwapped(let e):
            guard let key = try shiftIndex.get(e.shiftId.rawValue)?.key else { return }
            try shifts.update(key) { $0.responderId = e.toResponderId.rawValue }
        case .timeOffRecorded(let e):
            let row = TimeOffRow(
                timeOffId: e.timeOffId.rawValue, responderId: e.responderId.rawValue,
                startsAt: e.startsAt.microseconds, endsAt: e.endsAt.microseconds, kind: e.kind.rawValue)
            if let old = try timeOffIndex.get(row.timeOffId)?.key { timeOff.delete(old) }
            let key = Self.intervalKey(row.endsAt, row.timeOffId)
            timeOff.put(key, row)
            timeOffIndex.put(row.timeOffId, IntervalIndexRow(key: key))
            try widen(timeOff: row.endsAt - row.startsAt)
        default:
            // Not folded here: the runner hands it only what folds(_:) names.
            break
        }
    }

    public static func folds(_ kind: CatalogEvent.Kind) -> Bool {
        switch kind {
        case .responderRegistered, .responderDeactivated, .responderStatusChanged, .shiftScheduled, .shiftSwapped,
            .timeOffRecorded:
            true
        case .recoveryReported, .youthIdentityLinked, .hotlineReferralCreated, .caseDeemedOutOfScope,
            .responseRequested, .recommendationComputed, .responderAssigned, .notificationSent,
            .assignmentAcknowledged, .assignmentDeclined, .ackTimeoutElapsed, .assignmentEscalated, .responderEnRoute,
            .responderArrived, .responderCleared, .responseCancelled, .slaBreached, .servicesOffered,
            .servicesAccepted, .servicesDeclined, .medicalEvaluationCompleted, .medicalEvaluationDeclined,
            .placementDecided, .mdtMeetingHeld, .youthWentMissing, .youthReturned, .protocolWindowClosed,
            .caseClosed, .caseReopened, .recordSealed, .recoveryCorrected, .recoveryVoided, .placementCorrected,
            .placementVoided, .operationStarted, .operationEnded, .arrestRecorded,
            .arrestCorrected, .arrestVoided, .trainingSessionHeld, .parentProgramCohortStarted,
            .parentProgramCohortCompleted, .policyChanged, .accessRecorded, .checkpointSigned, .legalHoldPlaced,
            .legalHoldReleased, .timerScheduled,
            .timerCancelled,
            .timerFired,
            .areaRegistered, .areaRenamed, .areaRetired, .agencyRegistered, .agencyRenamed, .agencyRetired,
            .stationRegistered, .stationRenamed, .stationRetired, .courseRegistered, .courseRenamed, .courseRetired,
            .trainingSessionCorrected, .trainingSessionVoided, .parentProgramCohortCorrected,
            .parentProgramCohortVoided,
            .operationCorrected, .operationVoided:
            // Nothing this view keeps.
            false
        }
    }

    private func schedule(_ row: ShiftRow) throws {
        // Scheduling a shift id again moves it.
        if let old = try shiftIndex.get(row.shiftId)?.key { shifts.delete(old) }
        let key = Self.intervalKey(row.endsAt, row.shiftId)
        shifts.put(key, row)
        shiftIndex.put(row.shiftId, IntervalIndexRow(key: key))
        try widen(shift: row.endsAt - row.startsAt)
    }

    private func widen(shift: Int64 = 0, timeOff: Int64 = 0) throws {
        var row = try extents.get("longest") ?? RosterExtentsRow(longestShift: 0, longestTimeOff: 0)
        guard shift > row.longestShift || timeOff > row.longestTimeOff else { return }
        row.longestShift = max(row.longestShift, shift)
        row.longestTimeOff = max(row.longestTimeOff, timeOff)
        extents.put("longest", row)
    }
}
