public import EventStore
import Foundation

/// Runs a ``Scenario`` through the real command path: every step becomes a command (in its JSON
/// form, as any client would send it) handled by ``CommandHandler``, and before each step every
/// timer due by then is handled (`handle-timer-fired`), so acknowledgement timeouts escalate and the
/// 72-hour window closes as it would in the daemon. Time is the scenario's: the store should read
/// the same ``VirtualClock`` for recordedAt, and be opened with an id seed, so that the same seed
/// gives the same log byte for byte.
///
/// A step the protocol refuses when it comes (an arrival for a youth who went missing, a placement
/// for a case closed meanwhile) is counted by its rejection code and skipped — the county's people
/// make mistakes too — but a step that fails for any other reason stops the run.
public struct Simulator: Sendable {
    /// What a run did.
    public struct Summary: Sendable {
        /// Commands handled.
        public var commands = 0
        /// Commands the protocol refused, by rejection code.
        public var refused: [String: Int] = [:]
        /// Timers handled.
        public var timersFired = 0
        /// Recoveries reported.
        public var recoveries = 0
        /// Distinct youth among them.
        public var uniqueYouth = 0
        /// The log's head afterwards.
        public var head = LogHead(position: 0, hash: [UInt8](repeating: 0, count: 32))
    }

    let handler: CommandHandler
    let timers: TimerIndex
    let clock: VirtualClock

    /// A simulator appending through `handler` to a store kept with `timers`, reading `clock`.
    public init(handler: CommandHandler, timers: TimerIndex, clock: VirtualClock) {
        self.handler = handler
        self.timers = timers
        self.clock = clock
    }

    /// Registers the county, then runs every step; `progress` is told (steps done, steps in all) now
    /// and then.
    public func run(_ scenario: Scenario, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        try await run(scenario.steps, from: scenario.start, progress: progress)
    }

    /// Registers the county at `start` (the scenario's start), then runs `steps` (in time order: a
    /// scenario's, or the part of one before some instant); `progress` is told (steps done, steps in
    /// all) now and then.
    public func run(
        _ steps: [SimulatedStep], from start: Timestamp, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> Summary {
        var summary = Summary()
        var youth = Set<String>()
        var refusedTimers = Set<String>()
        summary.commands += try await registerCounty(at: start)
        for (index, step) in steps.enumerated() {
            try await fireTimers(upTo: step.at, &summary, &refusedTimers)
            clock.advance(to: step.at)
            if case .reportRecovery(let c) = step.action {
                summary.recoveries += 1
                youth.insert(c.youthRef)
            }
            let played = try await play(step)
            summary.commands += played.commands
            for code in played.refused { summary.refused[code, default: 0] += 1 }
            if index % 256 == 0 { progress?(index, steps.count) }
        }
        progress?(steps.count, steps.count)
        summary.uniqueYouth = youth.count
        summary.head = try handler.store.head()
        return summary
    }

    /// Runs one step's commands, without firing timers first (``run(_:progress:)`` fires them between
    /// steps; the daemon's timer loop does when it plays steps live): how many commands it ran, and the
    /// rejection codes of those the protocol refused. With `retrying`, a command the store fails to
    /// take (a full disk) is handed to it — which waits, or throws to give up — and then tried again,
    /// so a live county goes on where it stopped; without it, the failure is thrown.
    public func play(
        _ step: SimulatedStep, retrying: (@Sendable (any Error) async throws -> Void)? = nil
    ) async throws -> (commands: Int, refused: [String]) {
        let commands = try commands(for: step)
        var refused: [String] = []
        for command in commands {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    _ = try await handler.handle(json: command)
                } catch let rejection as CommandRejection
                    where rejection.code == .streamVersionConflict && attempt < 3
                {
                    continue  // another writer (a live daemon's timer loop) moved a stream it read: decide again
                } catch let rejection as CommandRejection {
                    refused.append(rejection.code.name)
                } catch {
                    guard let retrying, !(error is CancellationError) else { throw error }
                    try await retrying(error)
                    continue
                }
                break
            }
        }
        return (commands.count, refused)
    }

    /// Registers the county the scenario runs in, before anything names it: the shipped Los Angeles
    /// County list (areas, agencies, stations) and the simulated training catalogue. Returns the
    /// commands run.
    private func registerCounty(at start: Timestamp) async throws -> Int {
        let envelope = CommandEnvelope(occurredAt: start, actor: "user:county-admin")
        var list = try CountyList.shipped("los-angeles.json")
        list.courses = County.courses.map { course in
            CourseRegistered(
                courseCode: course.code, title: course.title, audienceSector: AudienceSector(rawValue: course.audience))
        }
        return try await handler.registerCounty(list, envelope: envelope)
    }

    /// Handles every timer due by `t` (``CommandHandler/handleDueTimers(_:now:skipping:actor:before:)``);
    /// timers the protocol refuses are counted and not offered again.
    private func fireTimers(upTo t: Timestamp, _ summary: inout Summary, _ refusedTimers: inout Set<String>)
        async throws
    {
        let pass = try await handler.handleDueTimers(timers, now: t, skipping: refusedTimers) {
            clock.advance(to: $0.dueAt)
        }
        summary.timersFired += pass.handled.count
        summary.commands += pass.handled.count + pass.refused.count
        for (timer, rejection) in pass.refused {
            refusedTimers.insert(timer.timerId)
            summary.refused[rejection.code.name, default: 0] += 1
        }
    }

    // MARK: - Steps as commands

    private func commands(for step: SimulatedStep) throws -> [[UInt8]] {
        let at = step.at
        func command(_ name: String, actor: String = "user:dispatcher-1", _ fields: (inout JSONWriter) -> Void)
            -> [UInt8]
        {
            var w = envelope(name, at: at, actor: actor)
            fields(&w)
            w.endObject()
            return w.bytes
        }
        switch step.action {
        case .registerResponder(let r):
            return [
                command("register-responder", actor: "user:roster-admin") { w in
                    w.field("responderId", r.id)
                    w.field("role", r.role)
                    w.field("organization", r.organization)
                    w.key("languages")
                    strings(r.languages, &w)
                    w.key("areas")
                    strings(r.areas, &w)
                    if r.role == "advocate" || r.role == "probation" {
                        w.key("servesAges")
                        w.beginObject()
                        w.field("min", 11)
                        w.field("max", r.role == "advocate" ? 18 : 21)
                        w.endObject()
                    }
                }
            ]
        case .scheduleShift(let shiftId, let responderId, let startsAt, let endsAt, let onCall):
            return [
                command("schedule-shift", actor: "user:roster-admin") { w in
                    w.field("shiftId", shiftId)
                    w.field("responderId", responderId)
                    w.field("startsAt", startsAt.rfc3339)
                    w.field("endsAt", endsAt.rfc3339)
                    w.key("onCall")
                    w.bool(onCall)
                }
            ]
        case .recordTimeOff(let id, let responderId, let startsAt, let endsAt):
            return [
                command("record-time-off", actor: "user:roster-admin") { w in
                    w.field("timeOffId", id)
                    w.field("responderId", responderId)
                    w.field("startsAt", startsAt.rfc3339)
                    w.field("endsAt", endsAt.rfc3339)
                    w.field("kind", "planned")
                }
            ]
        case .reportRecovery(let c):
            return [
                command("report-recovery", actor: "user:deputy-\(c.station.code.lowercased())") { w in
                    w.field("caseId", c.caseId)
                    w.field("youthRef", c.youthRef)
                    w.field("agency", c.station.agency)
                    w.field("station", c.station.code)
                    w.field("area", c.station.area)
                    w.field("contactAt", c.contactAt.rfc3339)
                    w.field("context", c.context)
                    if let op = c.operationId { w.field("operationId", op) }
                    w.field("ageAtContact", c.age)
                    w.field("language", c.language)
                    w.field("onSupervision", c.onSupervision)
                    w.key("awol")
                    w.bool(c.awol)
                }
            ]
        case .createHotlineReferral(let caseId, let number, let category):
            return [
                command("create-hotline-referral", actor: "user:hotline-worker") { w in
                    w.field("caseId", caseId)
                    w.field("referralNumber", number)
                    w.field("responseCategory", category)
                }
            ]
        case .requestResponse(let caseId, let role):
            return [
                command("request-response") { w in
                    w.field("caseId", caseId)
                    w.field("role", role)
                }
            ]
        case .assignByPolicy(let caseId, let role):
            guard let request = try latestRequest(caseId, role: role, where: { $0.phase == .awaiting }) else {
                return []
            }
            return [
                command("assign-by-policy") { w in
                    w.field("caseId", caseId)
                    w.field("requestId", request.requestId.rawValue)
                }
            ]
        case .reply(let caseId, let role, let reply):
            guard reply != .noAnswer,
                let request = try latestRequest(
                    caseId, role: role, where: { $0.phase == .dispatched && !$0.acknowledged }),
                let responder = request.assigned
            else { return [] }
            return [
                command(
                    reply == .acknowledge ? "acknowledge" : "decline", actor: "user:\(responder.rawValue.lowercased())"
                ) { w in
                    w.field("caseId", caseId)
                    w.field("requestId", request.requestId.rawValue)
                    w.field("responderId", responder.rawValue)
                    if reply == .decline { w.field("reasonCode", "unavailable") }
                }
            ]
        case .enRoute(let caseId, let role), .arrive(let caseId, let role), .clear(let caseId, let role):
            let name: String
            let phase: RequestFile.Phase
            switch step.action {
            case .enRoute: (name, phase) = ("en-route", .dispatched)
            case .arrive: (name, phase) = ("arrive", .dispatched)
            default: (name, phase) = ("clear", .onScene)
            }
            guard let request = try latestRequest(caseId, role: role, where: { $0.phase == phase }),
                let responder = request.assigned
            else { return [] }
            return [
                command(name, actor: "user:\(responder.rawValue.lowercased())") { w in
                    w.field("caseId", caseId)
                    w.field("requestId", request.requestId.rawValue)
                    w.field("responderId", responder.rawValue)
                }
            ]
        case .offerServices(let caseId, let services):
            return [caseCommand("offer-services", caseId, at) { strings(services, &$0, key: "services") }]
        case .answerServices(let caseId, let accepted):
            return [
                caseCommand(accepted ? "accept-services" : "decline-services", caseId, at) { w in
                    strings(accepted ? ["advocacy", "placement"] : ["placement"], &w, key: "services")
                }
            ]
        case .medicalEvaluation(let caseId, let kind, let completed, let age):
            return [
                caseCommand(completed ? "complete-medical-evaluation" : "decline-medical-evaluation", caseId, at) { w in
                    w.field("kind", kind)
                    if !completed {
                        w.field("declinedBy", age >= 12 ? "youth" : "parent-guardian")
                        w.field("ageAtDecline", age)
                    }
                }
            ]
        case .placement(let caseId, let kind):
            return [caseCommand("decide-placement", caseId, at) { $0.field("kind", kind) }]
        case .mdtMeeting(let caseId):
            return [
                caseCommand("hold-mdt-meeting", caseId, at) {
                    strings(["advocate", "dcfs", "caregiver", "youth"], &$0, key: "participants")
                }
            ]
        case .wentMissing(let caseId):
            return [
                caseCommand("report-missing", caseId, at) { w in
                    w.field("lastSeenAt", at.adding(seconds: -1_800).rfc3339)
                    w.key("reportedToLawEnforcement")
                    w.bool(true)
                }
            ]
        case .returned(let caseId):
            return [caseCommand("report-returned", caseId, at) { $0.field("how", "located-by-advocate") }]
        case .closeProtocolWindow:
            return []  // the 72-hour timer closes it, as in the daemon
        case .closeCase(let caseId, let outcome):
            return [caseCommand("close-case", caseId, at) { $0.field("outcome", outcome) }]
        case .startOperation(let id, let name, let station, let focus):
            return [
                command("start-operation", actor: "user:\(station.agency.lowercased())-vice") { w in
                    w.field("operationId", id)
                    w.field("name", name)
                    w.field("agency", station.agency)
                    w.field("area", station.area)
                    w.field("station", station.code)
                    w.field("focus", focus)
                }
            ]
        case .endOperation(let id):
            return [command("end-operation", actor: "user:vice-lead") { $0.field("operationId", id) }]
        case .recordArrest(let id, let role, let station, let operationId, let charges):
            return [
                command("record-arrest", actor: "user:\(station.agency.lowercased())-booking") { w in
                    w.field("arrestId", id)
                    w.field("role", role)
                    w.field("agency", station.agency)
                    w.field("station", station.code)
                    w.field("area", station.area)
                    w.field("arrestedAt", at.rfc3339)
                    w.key("linkedCaseIds")
                    strings([], &w)
                    strings(charges, &w, key: "charges")
                    if let operationId { w.field("operationId", operationId) }
                }
            ]
        case .holdTraining(let id, let course, let attendees, let area):
            let c = County.courses[course]
            return [
                command("hold-training-session", actor: "user:training-coordinator") { w in
                    w.field("sessionId", id)
                    w.field("courseCode", c.code)
                    w.field("courseTitle", c.title)
                    w.field("audienceSector", c.audience)
                    w.field("attendees", attendees)
                    w.field("area", area)
                }
            ]
        case .startCohort(let id, let participants):
            return [
                command("start-parent-cohort", actor: "user:parent-program-lead") { w in
                    w.field("cohortId", id)
                    w.field("weeks", 10)
                    w.field("participants", participants)
                }
            ]
        case .completeCohort(let id, let participants, let completers):
            return [
                command("complete-parent-cohort", actor: "user:parent-program-lead") { w in
                    w.field("cohortId", id)
                    w.field("participants", participants)
                    w.field("completers", completers)
                }
            ]
        }
    }

    private func caseCommand(_ name: String, _ caseId: String, _ at: Timestamp, _ fields: (inout JSONWriter) -> Void)
        -> [UInt8]
    {
        var w = envelope(name, at: at, actor: "user:advocate-lead")
        w.field("caseId", caseId)
        fields(&w)
        w.endObject()
        return w.bytes
    }

    /// The latest request of `role` on the case that satisfies `condition`.
    private func latestRequest(_ caseId: String, role: String, where condition: (RequestFile) -> Bool) throws
        -> RequestFile?
    {
        let file = try handler.caseFile(caseID(caseId))
        return file.requests.last { $0.role.rawValue == role && condition($0) }
    }

    private func caseID(_ raw: String) throws -> CaseID {
        guard let id = CaseID(rawValue: raw) else {
            throw EventStoreError(.invalidEvent, "simulator made a bad case id \(raw)")
        }
        return id
    }
}

private func envelope(_ name: String, at: Timestamp, actor: String) -> JSONWriter {
    var w = JSONWriter()
    w.beginObject()
    w.field("command", name)
    w.field("occurredAt", at.rfc3339)
    w.field("actor", actor)
    return w
}

private func strings(_ values: [String], _ w: inout JSONWriter, key: String? = nil) {
    if let key { w.key(key) }
    w.beginArray()
    for v in values { w.string(v) }
    w.endArray()
}
