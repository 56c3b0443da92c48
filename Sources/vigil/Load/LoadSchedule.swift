import Foundation

/// Open loop (`vigil bench load --rate R`): recoveries are reported on a fixed schedule, whether or
/// not the daemon keeps up, as they come in from the street.
///
/// Each desk starts a case every ``interval`` (the desks spread evenly over one interval) and acts on
/// each answer at once, as a dispatcher does; a case is ``commandsPerCase`` commands, so the desks
/// together offer `rate` commands per second. A desk still busy when its next case is due starts it
/// late, and that case's latencies count from when it was due: what a recovery waits is measured,
/// not just what the daemon takes once asked (no coordinated omission).
struct LoadSchedule: Sendable {
    /// A case's commands: report-recovery, request-response, assign-by-policy, acknowledge, en-route,
    /// arrive, clear.
    static let commandsPerCase = 7

    /// Commands per second the desks offer together.
    let rate: Double
    /// When the first case is due.
    let start: ContinuousClock.Instant
    /// Between two cases of one desk.
    let interval: Duration
    let clients: Int

    init(rate: Double, clients: Int, start: ContinuousClock.Instant) {
        self.rate = rate
        self.clients = clients
        self.start = start
        interval = .seconds(Double(clients * Self.commandsPerCase) / rate)
    }

    /// When desk `client` is due to start its case `n` (counted from 1).
    func due(client: Int, _ n: Int) -> ContinuousClock.Instant {
        start + interval * (Double(n - 1) + Double(client) / Double(clients))
    }
}
