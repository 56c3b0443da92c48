public import EventStore

/// When a case first reached each milestone the 72-hour protocol window records
/// (`ProtocolWindowClosed.milestones`), on occurredAt.
public struct CaseMilestones: Sendable {
    /// The length of the protocol window: 72 hours.
    public static let windowSeconds: Int64 = 72 * 3600

    /// The first `HotlineReferralCreated`.
    public var hotlineReferralCreated: Timestamp?
    /// The first arrival on an advocate request.
    public var advocateOnScene: Timestamp?
    /// The first arrival on a DCFS, Probation, DMH or DHS request.
    public var agencyOnScene: Timestamp?
    /// Whether any agency (non-advocate) response was requested.
    public var agencyRequested = false
    /// The first `ServicesOffered`.
    public var servicesOffered: Timestamp?
    /// The first medical evaluation completed or declined, and which.
    public var healthEvaluation: (at: Timestamp, outcome: ProtocolWindowClosed.Milestones.HealthEvaluation)?
    /// The first `PlacementDecided`.
    public var placementDecided: Timestamp?
    /// The first `MDTMeetingHeld`.
    public var mdtMeetingHeld: Timestamp?
    /// Every `YouthWentMissing`.
    public var wentMissing: [Timestamp] = []

    /// An empty record.
    public init() {}

    /// The milestones that fell inside a window ending at `windowEndsAt` (inclusive).
    public func within(_ windowEndsAt: Timestamp) -> ProtocolWindowClosed.Milestones {
        func inside(_ t: Timestamp?) -> Bool { t.map { $0 <= windowEndsAt } ?? false }
        let health: ProtocolWindowClosed.Milestones.HealthEvaluation =
            healthEvaluation.map { $0.at <= windowEndsAt ? $0.outcome : .notDone } ?? .notDone
        return ProtocolWindowClosed.Milestones(
            hotlineReferralCreated: inside(hotlineReferralCreated), advocateOnScene: inside(advocateOnScene),
            agencyOnScene: agencyRequested ? inside(agencyOnScene) : nil, servicesOffered: inside(servicesOffered),
            healthEvaluation: health, placementDecided: inside(placementDecided),
            mdtMeetingHeld: inside(mdtMeetingHeld))
    }

    /// Whether the youth went missing between `start` and `end` (inclusive).
    public func wentMissing(between start: Timestamp, and end: Timestamp) -> Bool {
        wentMissing.contains { $0 >= start && $0 <= end }
    }
}
