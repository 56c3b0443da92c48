/// A registered responder on the roster board.
public struct ResponderRow: Codable, Sendable, Equatable {
    /// Their id.
    public var responderId: String
    /// advocate, dcfs, probation, dmh, dhs or supervisor.
    public var role: String
    /// Their organization.
    public var organization: String
    /// Their display name, if registered with one (a staff name, not a youth's).
    public var displayName: String?
    /// Languages spoken.
    public var languages: [String]
    /// Service Planning Areas covered.
    public var areas: [String]
    /// Stations covered.
    public var stations: [String]
    /// Whether deactivated.
    public var deactivated: Bool
    /// Their board status: available, assigned, en-route, on-scene, cleared or off-duty.
    public var status: String
    /// Since when (occurredAt, µs).
    public var statusSince: Int64
    /// The case they are committed to, while assigned, en route or on scene.
    public var activeCase: String?
    /// The request they are committed to.
    public var activeRequest: String?
    /// When they registered (µs).
    public var registeredAt: Int64
}

/// A scheduled shift (with swaps applied). Keyed by its end (``RosterProjection/shiftKey(_:_:)``) so
/// the shifts running at a moment are found from that moment on.
public struct ShiftRow: Codable, Sendable, Equatable {
    /// The shift.
    public var shiftId: String
    /// Whose it is now.
    public var responderId: String
    /// When it starts (µs).
    public var startsAt: Int64
    /// When it ends, exclusive (µs).
    public var endsAt: Int64
    /// On call rather than on duty.
    public var onCall: Bool
    /// Areas covered on it, when they differ from the responder's.
    public var areas: [String]?
}

/// Recorded time off, keyed like shifts by its end.
public struct TimeOffRow: Codable, Sendable, Equatable {
    /// Its id.
    public var timeOffId: String
    /// Whose.
    public var responderId: String
    /// From (µs).
    public var startsAt: Int64
    /// Until, exclusive (µs).
    public var endsAt: Int64
    /// planned, sick, …
    public var kind: String
}

/// Where a shift or a time off is stored (its end-keyed key), and the longest one seen, so a query
/// knows how far past a moment to look for what covers it.
public struct IntervalIndexRow: Codable, Sendable, Equatable {
    /// The row's key in its table.
    public var key: String
}

/// The longest shift and time off folded so far, in µs.
public struct RosterExtentsRow: Codable, Sendable, Equatable {
    /// The longest shift.
    public var longestShift: Int64
    /// The longest time off.
    public var longestTimeOff: Int64
}
