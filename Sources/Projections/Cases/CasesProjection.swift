public import FirstResponder

/// Every case, folded from its stream (``CaseRecord``), and the policy in force (for the thresholds
/// a case's clocks start with). The case board, the response times, the 72-hour milestones and the
/// recoveries are queries over it. A case whose recovery was voided (`RecoveryVoided`) leaves every
/// table but `voided`.
///
/// Tables: `cases` (case id → ``CaseRecord``), `open` (the open cases' ids → their phase, so the case
/// board reads only them), `contacts` (every case in contact order → ``ContactRow``, what deciding
/// repeat recoveries needs, so a period's figures decode only that period's records), `policy`
/// (`current` → ``PolicyRow``), `voided` (the cases whose recovery was voided → ``VoidedRecoveryRow``,
/// so reports can say how many were taken out).
public final class CasesProjection: Projection {
    public static let name = "cases"
    public static let version = 4
    public static let summary = "every case with its requests, responders, clocks and 72-hour milestones"

    /// The cases table.
    public static let cases = TableRef<CaseRecord>(projection: name, table: "cases")
    /// The open cases.
    public static let openCases = TableRef<OpenCaseRow>(projection: name, table: "open")
    /// Every case by contact time (``ContactRow/key(_:)``).
    public static let contacts = TableRef<ContactRow>(projection: name, table: "contacts")
    /// The policy table.
    public static let policyTable = TableRef<PolicyRow>(projection: name, table: "policy")
    /// The voided recoveries.
    public static let voidedRecoveries = TableRef<VoidedRecoveryRow>(projection: name, table: "voided")

    let cases: RowTable<CaseRecord>
    let open: RowTable<OpenCaseRow>
    let policy: RowTable<PolicyRow>
    let contacts: RowTable<ContactRow>
    let voided: RowTable<VoidedRecoveryRow>
    private var currentPolicy: PolicyView?

    public init(backend: any RowBackend) {
        cases = RowTable("cases", backend: backend)
        open = RowTable("open", backend: backend)
        policy = RowTable("policy", backend: backend)
        contacts = RowTable("contacts", backend: backend)
        voided = RowTable("voided", backend: backend)
    }

    public var tables: [any AnyRowTable] { [cases, open, policy, contacts, voided] }

    public func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        switch event {
        case .recoveryReported(let e):
            // A second report of the same case is refused by the lifecycle, as by the commands.
            if try cases.modify(e.caseId.rawValue, { $0.refusedEvents += 1 }) == nil {
                let record = CaseRecord(e, envelope, policy: try policyInForce())
                store(record)
                contacts.put(ContactRow.key(record), ContactRow(record))
            }
        case .recoveryVoided(let e):
            // A recovery reported in error counts in no figure: once the lifecycle takes the void, the
            // case leaves every table but `voided` (its stream stays in the log, where `vigil audit
            // case` shows it).
            guard var record = try cases.get(e.caseId.rawValue) else { return }
            record.apply(event, envelope, policy: try policyInForce())
            guard record.lifecycle.recoveryVoided else { return cases.put(record.caseId, record) }
            cases.delete(record.caseId)
            open.delete(record.caseId)
            contacts.delete(ContactRow.key(record))
            voided.put(
                record.caseId,
                VoidedRecoveryRow(
                    caseId: record.caseId, contactAt: record.contactAt, voidedAt: envelope.occurredAt.microseconds,
                    reasonCode: e.reasonCode.rawValue))
        case .policyChanged(let e):
            var view = try policyInForce()
            view.apply(e, position: envelope.position, version: envelope.streamVersion)
            currentPolicy = view
            policy.put(PolicyRow.key, PolicyRow(view))
        default:
            // Every other case event goes to the record's own fold, itself a switch over every type,
            // applied to the cached record in place.
            guard let caseId = event.caseId?.rawValue else { return }
            let policy = try policyInForce()
            try fold(caseId) { $0.apply(event, envelope, policy: policy) }
        }
    }

    /// A `RecommendationComputed`: the record keeps only that the case took it (the lifecycle's step,
    /// the last position), not the decision's candidates and reasons, which are most of the bytes of
    /// a county's log — the runner reads only its case id (``foldsWithoutPayload(_:)``).
    public func apply(_ kind: CatalogEvent.Kind, caseId: CaseID, _ envelope: EventEnvelope) throws {
        guard let caseKind = kind.caseEventKind else { return }
        try fold(caseId.rawValue) { _ = $0.advance(caseKind, envelope) }
    }

    /// Types whose payload the case record does not read: ``apply(_:caseId:_:)`` folds them as
    /// ``apply(_:_:)`` would (``CaseRecord/apply(_:_:policy:)`` keeps nothing of their payload).
    public static func foldsWithoutPayload(_ kind: CatalogEvent.Kind) -> Bool { kind == .recommendationComputed }

    /// Changes the record of `caseId`, if there is one, and keeps its contact row and the open index
    /// in step with it. Inlined into each caller, so the change's closure is too: called through, the
    /// closure copied the decoded event it captures for every event folded.
    @inline(__always)
    private func fold(_ caseId: String, _ change: (inout CaseRecord) -> Void) throws {
        let changed = try cases.modify(caseId) { record -> (contact: ContactRow?, phase: CasePhase?) in
            let phase = record.phase
            let contact = ContactRow(record)
            change(&record)
            let now = ContactRow(record)
            return (now != contact ? now : nil, record.phase != phase ? record.phase : nil)
        }
        if let contact = changed?.contact {
            contacts.put(ContactRow.key(contactAt: contact.contactAt) + contact.caseId, contact)
        }
        if let phase = changed?.phase { index(caseId, phase) }
    }

    /// Case events (a case id: the same types ``apply(_:_:)`` takes the case of) and policy changes.
    public static func folds(_ kind: CatalogEvent.Kind) -> Bool {
        // The case event kind is set for exactly the types with a case id.
        kind == .policyChanged || kind.caseEventKind != nil
    }

    /// By case: every row but the policy's is one case's, every case event is in the case's stream,
    /// and the policy in force is folded in memory by every part (``policyInForce()`` reads the
    /// `policy` row only before the first change, and every part writes the same row).
    public static let partitioning: Partitioning? = Partitioning(streamPrefix: "case-") { $0.caseId?.rawValue }

    private func store(_ record: CaseRecord) {
        cases.put(record.caseId, record)
        index(record.caseId, record.phase)
    }

    /// The case in the `open` index while its phase is open.
    private func index(_ caseId: String, _ phase: CasePhase) {
        if phase.isOpen {
            open.put(caseId, OpenCaseRow(phase: phase.rawValue))
        } else {
            open.delete(caseId)
        }
    }

    private func policyInForce() throws -> PolicyView {
        if let currentPolicy { return currentPolicy }
        let view = try policy.get(PolicyRow.key)?.view ?? .initial
        currentPolicy = view
        return view
    }
}

/// The policy in force, as the cases projection keeps it.
public struct PolicyRow: Codable, Sendable, Equatable {
    static let key = "current"

    /// The policy version.
    public var version: Int
    /// The position of the `PolicyChanged` that brought it in (0: the initial policy).
    public var position: UInt64
    /// The version of the `policy` stream.
    public var streamVersion: UInt64
    /// Service-level thresholds in seconds, by service level (`advocate-on-scene`, …), sorted.
    public var thresholds: [Threshold]
    /// The acknowledgement timeout in seconds.
    public var ackTimeoutSeconds: Int
    /// The escalation limit.
    public var maxEscalations: Int
    /// The policy's travel estimate, in minutes: base, per area crossed, on call.
    public var travelMinutes: [Int]

    /// One threshold.
    public struct Threshold: Codable, Sendable, Equatable {
        /// The service level's id.
        public var level: String
        /// Seconds.
        public var seconds: Int
    }

    init(_ view: PolicyView) {
        version = view.version
        position = view.position
        streamVersion = view.streamVersion
        thresholds = view.thresholds.map { Threshold(level: $0.key.rawValue, seconds: $0.value) }.sorted {
            $0.level < $1.level
        }
        ackTimeoutSeconds = view.ackTimeoutSeconds
        maxEscalations = view.maxEscalations
        let travel = view.travel
        travelMinutes = [travel.baseMinutes, travel.perAreaMinutes, travel.onCallMinutes]
    }

    /// The travel estimate in force.
    public var travel: TravelEstimate {
        guard travelMinutes.count == 3 else { return TravelEstimate() }
        return TravelEstimate(
            baseMinutes: travelMinutes[0], perAreaMinutes: travelMinutes[1], onCallMinutes: travelMinutes[2])
    }

    /// The policy as the domain reads it (ranking weights are not kept: views need only the thresholds and the travel estimate).
    var view: PolicyView {
        var view = PolicyView.initial
        view.version = version
        view.position = position
        view.streamVersion = streamVersion
        view.ackTimeoutSeconds = ackTimeoutSeconds
        view.maxEscalations = maxEscalations
        for t in thresholds { if let level = ServiceLevel(rawValue: t.level) { view.thresholds[level] = t.seconds } }
        let travel = self.travel
        view.weights.extra["travelBaseMinutes"] = Double(travel.baseMinutes)
        view.weights.extra["travelPerAreaMinutes"] = Double(travel.perAreaMinutes)
        view.weights.extra["travelOnCallMinutes"] = Double(travel.onCallMinutes)
        return view
    }
}

/// A case whose recovery was voided (`RecoveryVoided`): what a report says about it.
public struct VoidedRecoveryRow: Codable, Sendable, Equatable {
    /// The case.
    public var caseId: String
    /// Its contact time (µs): the period it would have counted in.
    public var contactAt: Int64
    /// When it was voided (µs).
    public var voidedAt: Int64
    /// Why (duplicate-entry, entered-in-error, not-a-recovery, other).
    public var reasonCode: String
}

/// An open case's entry in the `open` table.
public struct OpenCaseRow: Codable, Sendable, Equatable {
    /// Its phase.
    public var phase: String
}

/// A case in the `contacts` table: what deciding recoveries, unique youth and repeats needs
/// (``CountedRecovery``), kept in contact order.
public struct ContactRow: Codable, Sendable, Equatable {
    /// The case.
    public var caseId: String
    /// When the officer came into contact with the youth (µs).
    public var contactAt: Int64
    /// The youth's reference.
    public var youthRef: String
    /// References linked to it (`YouthIdentityLinked`).
    public var linkedYouthRefs: [String]
    /// Whether the case was deemed out of scope (then it is not a recovery).
    public var outOfScope: Bool

    /// The row of `record`.
    public init(_ record: CaseRecord) {
        caseId = record.caseId
        contactAt = record.contactAt
        youthRef = record.youthRef
        linkedYouthRefs = record.linkedYouthRefs
        outOfScope = record.outOfScope != nil
    }

    /// The key of `record`'s row: its contact time, order-preserving (sign bit flipped, 16 hex
    /// digits), then the case id.
    public static func key(_ record: CaseRecord) -> String { key(contactAt: record.contactAt) + record.caseId }

    /// The first key at or after `contactAt`.
    public static func key(contactAt: Int64) -> String {
        let hex = String(UInt64(bitPattern: contactAt) ^ (1 << 63), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + " "
    }
}
