public import Foundation

/// The views people read, each a query over one or more projections (``ProjectionCatalog``).
public enum ViewName: String, CaseIterable, Sendable, Codable {
    /// Open cases, their responders, running clocks and what is at risk.
    case caseBoard = "case-board"
    /// Every service-level clock, per case and aggregated.
    case responseTimes = "response-times"
    /// The 72-hour milestones.
    case milestones
    /// Recoveries and unique youth.
    case recoveries
    /// Arrests, corrections and voids applied.
    case arrests
    /// Training sessions, people trained and parent cohorts.
    case training
    /// Who is on shift, available, committed, since when.
    case roster

    /// What the view shows.
    public var summary: String {
        switch self {
        case .caseBoard:
            "open cases: phase, responders and their status, running clocks with time left, at risk by travel estimate"
        case .responseTimes:
            "every service-level clock: n, median, p90 (nearest rank), % within, breached, open, excluded, late"
        case .milestones: "72-hour milestones: referral, on scene, services, health evaluation, placement, MDT, missing"
        case .recoveries: "recoveries and unique youth, repeat recoveries, by agency, station, area, age band, month"
        case .arrests: "arrests by role, month, operation, station and area, with corrections and voids applied"
        case .training: "training sessions and people trained by course and sector; parent program cohorts"
        case .roster: "responders: on shift, available, committed, since when"
        }
    }

    /// The projections it reads.
    public var projections: [String] {
        switch self {
        case .caseBoard: [CasesProjection.name, RosterProjection.name]
        case .responseTimes, .milestones, .recoveries: [CasesProjection.name]
        case .arrests: [ArrestsProjection.name]
        case .training: [TrainingProjection.name]
        case .roster: [RosterProjection.name]
        }
    }
}

/// The JSON form of view models: keys sorted, so the same figures always print the same bytes.
public enum ViewJSON {
    /// `value` as indented JSON with sorted keys.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
