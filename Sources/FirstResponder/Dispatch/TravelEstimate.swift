/// How long a responder needs to reach a scene, as the dispatch policy estimates it: a base time
/// within their own Service Planning Area, more for each area crossed (``ServicePlanningAreas``), and
/// more from home when on call. The case board flags a clock **at risk** when the assigned
/// responder cannot arrive by its deadline on this estimate (or on their own ETA, when they gave one).
///
/// The minutes are policy values: `PolicyChanged.rankingWeights` may set `travelBaseMinutes`,
/// `travelPerAreaMinutes` and `travelOnCallMinutes`; the defaults are 30, 20 and 15.
public struct TravelEstimate: Sendable, Equatable {
    /// Minutes within the responder's own area, on duty.
    public var baseMinutes: Int
    /// Minutes more per area crossed.
    public var perAreaMinutes: Int
    /// Minutes more when on call (from home).
    public var onCallMinutes: Int

    /// An estimate.
    public init(baseMinutes: Int = 30, perAreaMinutes: Int = 20, onCallMinutes: Int = 15) {
        self.baseMinutes = baseMinutes
        self.perAreaMinutes = perAreaMinutes
        self.onCallMinutes = onCallMinutes
    }

    /// The estimate of a policy's weights (defaults for those not set).
    public init(weights: RankingWeights) {
        let defaults = TravelEstimate()
        func minutes(_ key: String, _ fallback: Int) -> Int { weights.extra[key].map { Int($0.rounded()) } ?? fallback }
        self.init(
            baseMinutes: minutes("travelBaseMinutes", defaults.baseMinutes),
            perAreaMinutes: minutes("travelPerAreaMinutes", defaults.perAreaMinutes),
            onCallMinutes: minutes("travelOnCallMinutes", defaults.onCallMinutes))
    }

    /// Seconds from a responder covering `areas` to a scene in `area`; `nil` when no path between
    /// the areas is known.
    public func seconds(from areas: [String], to area: String, onCall: Bool) -> Int? {
        let hops = ServicePlanningAreas.hops(from: areas, to: area)
        guard hops != .max else { return nil }
        return (baseMinutes + hops * perAreaMinutes + (onCall ? onCallMinutes : 0)) * 60
    }
}

extension PolicyView {
    /// The policy's travel estimate.
    public var travel: TravelEstimate { TravelEstimate(weights: weights) }
}
