/// Los Angeles County's eight Service Planning Areas and which border which, for policies that weigh
/// distance. SPA1 Antelope Valley, SPA2 San Fernando (with Santa Clarita), SPA3 San Gabriel, SPA4
/// Metro, SPA5 West, SPA6 South, SPA7 East, SPA8 South Bay.
public enum ServicePlanningAreas {
    /// Each area's neighbours.
    public static let adjacent: [String: Set<String>] = [
        "SPA1": ["SPA2"],
        "SPA2": ["SPA1", "SPA3", "SPA4", "SPA5"],
        "SPA3": ["SPA2", "SPA4", "SPA7"],
        "SPA4": ["SPA2", "SPA3", "SPA5", "SPA6", "SPA7"],
        "SPA5": ["SPA2", "SPA4", "SPA6", "SPA8"],
        "SPA6": ["SPA4", "SPA5", "SPA7", "SPA8"],
        "SPA7": ["SPA3", "SPA4", "SPA6", "SPA8"],
        "SPA8": ["SPA5", "SPA6", "SPA7"],
    ]

    /// Areas crossed from the nearest of `areas` to `target` (0 when covered, `Int.max` when unknown).
    public static func hops(from areas: [String], to target: String) -> Int {
        if areas.contains(target) { return 0 }
        var frontier = Set(areas)
        var seen = frontier
        var distance = 0
        while !frontier.isEmpty {
            distance += 1
            var next = Set<String>()
            for area in frontier { next.formUnion(adjacent[area] ?? []) }
            if next.contains(target) { return distance }
            next.subtract(seen)
            seen.formUnion(next)
            frontier = next
        }
        return .max
    }
}
