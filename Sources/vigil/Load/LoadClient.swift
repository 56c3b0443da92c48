import EventStore
import FirstResponder
import Foundation
import Synchronization

/// What every client shares: when to stop, and how many commands may still be sent.
final class LoadLimits: Sendable {
    /// No new case starts after this.
    let deadline: ContinuousClock.Instant
    /// How long a command is retried while the daemon is unreachable (a restart after SIGKILL).
    let reconnectSeconds: Double
    /// With `--rate`: when each case is due (open loop); `nil`: each desk starts its next case as
    /// soon as the last is done (closed loop).
    let schedule: LoadSchedule?
    private let remaining: Atomic<Int>

    init(
        deadline: ContinuousClock.Instant, maxCommands: Int, reconnectSeconds: Double, schedule: LoadSchedule? = nil
    ) {
        self.deadline = deadline
        self.reconnectSeconds = reconnectSeconds
        self.schedule = schedule
        remaining = Atomic(maxCommands)
    }

    /// Takes one command from the budget; `false` once it is spent.
    func take() -> Bool { remaining.subtract(1, ordering: .relaxed).newValue >= 0 }

    /// Whether the budget is spent.
    var isSpent: Bool { remaining.load(ordering: .relaxed) <= 0 }
}

/// What kind of daemon the clients load: one `vigil bench load` started itself (the default), or
/// one already running that it attached to (`--attach`).
struct LoadMode: Sendable {
    /// Times (a recovery's contact, a shift's start) from the daemon's clock, `GET /v1/clock`,
    /// instead of the wall clock: an attached daemon may play a simulated county (`serve --simulate`),
    /// whose clock runs ahead of the wall's.
    var daemonClock = false
    /// A refusal (a 4xx other than a conflict) is tallied by kind, not counted an error, and a 5xx,
    /// 408 or 429 is sent again with the same key, as for an unreachable daemon: an attached daemon
    /// may be under faults (its disk full) and play a county whose own timers move cases on.
    var tolerant = false

    /// The load's own daemon: the wall clock, and every answer outside 2xx an error.
    static let own = LoadMode()
    /// An attached daemon.
    static let attached = LoadMode(daemonClock: true, tolerant: true)
}

/// One load client: a dispatch desk on its own thread and connection, taking case after case
/// through the protocol — report the recovery, request an advocate, assign by policy (the
/// recommendation and the notification), then the advocate's acknowledge, en route, arrive and
/// clear — each command as soon as the one before is answered. Every command carries an
/// Idempotency-Key, so when the daemon dies under it the client retries the same command until the
/// daemon is back: the answer then says whether the first attempt had been written.
final class LoadClient: @unchecked Sendable {  // owned by its thread; read after it is joined
    /// Idempotency keys for every desk: UUIDv7s, increasing across the process.
    static let keys = UUIDv7Generator()

    let index: Int
    let county: LoadCounty
    let limits: LoadLimits
    /// How many of this desk's first cases are left unacknowledged, for their timers to fire.
    let unacknowledgedCases: Int
    let mode: LoadMode
    private let http: LoopbackHTTP
    private let token: String
    private(set) var tally = LoadTally()

    init(
        index: Int, county: LoadCounty, port: UInt16, token: String, limits: LoadLimits, unacknowledgedCases: Int,
        mode: LoadMode = .own
    ) {
        self.index = index
        self.county = county
        self.http = LoopbackHTTP(port: port)
        self.token = token
        self.limits = limits
        self.unacknowledgedCases = unacknowledgedCases
        self.mode = mode
    }

    /// Starts each client on a thread of its own; the group is left when every one has ended.
    static func start(_ clients: [LoadClient]) -> DispatchGroup {
        let group = DispatchGroup()
        for client in clients {
            group.enter()
            Thread.detachNewThread {
                client.run()
                group.leave()
            }
        }
        return group
    }

    /// Runs cases until the deadline or the command budget; on the calling thread.
    func run() {
        var n = 0
        while ContinuousClock.now < limits.deadline {
            n += 1
            guard runCase(n) else { break }
        }
        http.close()
    }

    /// One case; `false` when the budget is spent. A case whose command fails is left where it stands.
    private func runCase(_ n: Int) -> Bool {
        let caseId = county.caseId(client: index, n)
        var started = ContinuousClock.now
        if let schedule = limits.schedule {
            // Open loop: the recovery comes in when it is due; a desk behind counts its wait.
            let due = schedule.due(client: index, n)
            guard due < limits.deadline else { return false }
            if due > started { Thread.sleep(forTimeInterval: (due - started).seconds) }
            started = due
        }
        guard let now = mode.daemonClock ? daemonNow() : Timestamp.now() else { return false }
        let contactAt = now.adding(seconds: -60)
        guard
            command("report-recovery", county.reportBody(client: index, n, contactAt: contactAt), asked: started)
                != nil
        else {
            return !limits.isSpent
        }
        guard let requested = command("request-response", county.requestBody(caseId: caseId)),
            let requestId = requested.value("ResponseRequested", "requestId")
        else { return !limits.isSpent }
        guard let assigned = command("assign-by-policy", county.assignBody(caseId: caseId, requestId: requestId))
        else { return !limits.isSpent }
        guard let responderId = assigned.value("ResponderAssigned", "responderId"),
            assigned.value("NotificationSent", "responderId") == responderId,
            assigned.value("RecommendationComputed", "requestId") == requestId
        else {
            tally.unassigned += 1
            return true
        }
        tally.flowNanos.append(nanoseconds(since: started))
        if n <= unacknowledgedCases {
            tally.leftUnacknowledged += 1
            return true
        }
        for step in ["acknowledge", "en-route", "arrive", "clear"] {
            let body = county.fieldBody(caseId: caseId, requestId: requestId, responderId: responderId)
            guard command(step, body) != nil else { return !limits.isSpent }
        }
        tally.casesCompleted += 1
        return true
    }

    /// Sends one command until it is answered: the answer's events on 2xx, `nil` on an error (or an
    /// exhausted budget, or a daemon that stayed away). Its latency counts from `asked` (when the
    /// command was due: now, or an open loop's case start) to its answer, across conflicts re-sent.
    private func command(_ name: String, _ body: [UInt8], asked: ContinuousClock.Instant? = nil) -> CommandAnswer? {
        guard limits.take() else { return nil }
        // A UUIDv7, as Vigil's own clients make keys: the command's events get time-ordered ids.
        let key = Self.keys.next(unixMillis: UInt64(Timestamp.now().microseconds / 1_000)).lowercaseText
        let asked = asked ?? ContinuousClock.now
        var unreachableSince: ContinuousClock.Instant?
        var conflicts = 0
        while true {
            let sent = ContinuousClock.now
            let response: LoopbackHTTP.Response
            do {
                response = try http.send(
                    "POST", "/v1/commands/\(name)", token: token, headers: [("Idempotency-Key", key)], body: body)
            } catch {
                tally.connectionFailures += 1
                let since = unreachableSince ?? sent
                unreachableSince = since
                guard (ContinuousClock.now - since).seconds < limits.reconnectSeconds else {
                    tally.error(
                        "\(name): the daemon stayed unreachable for \(Int(limits.reconnectSeconds)) s: \(error)")
                    return nil
                }
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            switch response.status {
            case 200, 201:
                // A command retried across a lost connection: its latency includes the outage, so it
                // is counted, not timed.
                if unreachableSince == nil { tally.commandNanos.append(nanoseconds(since: asked)) }
                guard let answer = CommandAnswer(response.body) else {
                    tally.error("\(name): \(response.status) with a body that is not a command result")
                    return nil
                }
                if response.status == 201 { tally.appended += 1 } else { tally.replayed += 1 }
                tally.acknowledged += answer.events.map { ($0.id, $0.position) }
                return answer
            case 409 where conflicts < 5 && String(decoding: response.body, as: UTF8.self).contains("conflict"):
                // Decided three times on a board others kept changing: nothing was written; again.
                conflicts += 1
                tally.conflicts += 1
            case 408 where mode.tolerant, 429 where mode.tolerant, 500...599 where mode.tolerant:
                // Not answered (a full disk, a daemon stopping): the same command again, same key.
                tally.serverErrors += 1
                let since = unreachableSince ?? sent
                unreachableSince = since
                guard (ContinuousClock.now - since).seconds < limits.reconnectSeconds else {
                    tally.error("\(name): no answer but \(response.status) for \(Int(limits.reconnectSeconds)) s")
                    return nil
                }
                Thread.sleep(forTimeInterval: 0.2)
            case 400...499 where mode.tolerant:
                tally.refuse(name, response.status, body: response.body)
                return nil
            default:
                tally.error("\(name) \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
                return nil
            }
        }
    }

    /// The daemon's time (`GET /v1/clock`), asked until answered while the daemon is away (at most
    /// the reconnect window); `nil` when it stayed away (an error of the run) or the run is over.
    private func daemonNow() -> Timestamp? {
        let since = ContinuousClock.now
        while ContinuousClock.now < limits.deadline {
            if let response = try? http.send("GET", "/v1/clock", token: token), response.status == 200,
                let now = (try? JSONValue(parsing: response.body))?.objectValue?["now"]?.stringValue
                    .flatMap(Timestamp.init(rfc3339:))
            {
                return now
            }
            guard (ContinuousClock.now - since).seconds < limits.reconnectSeconds else {
                tally.error("GET /v1/clock: no answer for \(Int(limits.reconnectSeconds)) s")
                return nil
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return nil
    }

    private func nanoseconds(since start: ContinuousClock.Instant) -> UInt64 {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
