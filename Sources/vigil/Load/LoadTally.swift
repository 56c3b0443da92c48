import FirstResponder
import Foundation

/// What load clients saw: latencies, outcomes, and every event the daemon acknowledged.
struct LoadTally {
    /// Each answered command's round trip (2xx only), in nanoseconds.
    var commandNanos: [UInt64] = []
    /// Recovery reported → recommendation computed → notification sent: from sending report-recovery
    /// to the answer of the assign-by-policy that recorded RecommendationComputed and NotificationSent.
    var flowNanos: [UInt64] = []
    /// Every event of every 2xx answer: its id and the position the daemon said it holds.
    var acknowledged: [(id: UUID, position: UInt64)] = []
    /// 201s: appended and durable.
    var appended = 0
    /// 200s with Idempotent-Replayed: a retry of a command the log already held (after a lost answer).
    var replayed = 0
    /// 409s on a stream-version conflict the daemon could not re-decide away (the client retried).
    var conflicts = 0
    /// Requests whose connection failed (daemon killed or restarting): retried with the same key.
    var connectionFailures = 0
    /// Answers outside 2xx other than those conflicts (and, attached, refusals and server errors):
    /// each an error of the run.
    var errors = 0
    /// Attached (``LoadMode/tolerant``): commands the daemon refused (4xx), by command and status.
    var refusals: [String: Int] = [:]
    /// Attached: answers 5xx, 408 or 429, each followed by the same command again.
    var serverErrors = 0
    /// The first few errors, for the report.
    var errorSamples: [String] = []
    /// Cases taken through every step (reported, assigned, acknowledged, en route, arrived, cleared).
    var casesCompleted = 0
    /// Cases whose assign-by-policy found nobody to notify.
    var unassigned = 0
    /// Cases left unacknowledged on purpose, for their acknowledgement timers to fire.
    var leftUnacknowledged = 0

    /// Every 2xx answer.
    var answered: Int { appended + replayed }
    /// Every refusal.
    var refused: Int { refusals.values.reduce(0, +) }

    /// A refusal of command `name`, with the problem type from its body when it has one.
    mutating func refuse(_ name: String, _ status: Int, body: [UInt8]) {
        let type = (try? JSONValue(parsing: body))?.objectValue?["type"]?.stringValue
        refusals[
            "\(name) \(status)\(type.map { " " + ($0.split(separator: "/").last.map(String.init) ?? $0) } ?? "")",
            default: 0] += 1
    }

    mutating func error(_ text: String) {
        errors += 1
        if errorSamples.count < 5 { errorSamples.append(text) }
    }

    mutating func merge(_ other: LoadTally) {
        commandNanos += other.commandNanos
        flowNanos += other.flowNanos
        acknowledged += other.acknowledged
        appended += other.appended
        replayed += other.replayed
        conflicts += other.conflicts
        connectionFailures += other.connectionFailures
        errors += other.errors
        errorSamples += other.errorSamples.prefix(max(0, 5 - errorSamples.count))
        refusals.merge(other.refusals, uniquingKeysWith: +)
        serverErrors += other.serverErrors
        casesCompleted += other.casesCompleted
        unassigned += other.unassigned
        leftUnacknowledged += other.leftUnacknowledged
    }
}

/// Nearest-rank percentiles of durations, in milliseconds (the value at ⌈q·n⌉ of the sorted sample).
struct Percentiles {
    let count: Int
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double

    init(nanoseconds sample: [UInt64]) {
        let sorted = sample.sorted()
        count = sorted.count
        func at(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Swift.max(1, Int((q * Double(sorted.count)).rounded(.up)))
            return Double(sorted[rank - 1]) / 1e6
        }
        p50 = at(0.5)
        p90 = at(0.9)
        p99 = at(0.99)
        max = at(1)
    }

    /// The report's fields, each named `prefix_p50_ms` and so on.
    func fields(_ prefix: String) -> [(String, BenchValue)] {
        [
            ("\(prefix)_p50_ms", .real(p50)), ("\(prefix)_p90_ms", .real(p90)), ("\(prefix)_p99_ms", .real(p99)),
            ("\(prefix)_max_ms", .real(max)),
        ]
    }
}
