public import EventStore
public import FirstResponder
import Foundation
import LMDB
public import Projections

/// 2026-03-14T02:00:00Z: the night these tests dispatch in.
public let night = Timestamp(seconds: 1_773_453_600)

/// `night` moved by `minutes`.
public func at(_ minutes: Int64) -> Timestamp { night.adding(seconds: minutes * 60) }

/// An envelope at `t`.
public func by(_ t: Timestamp, _ actor: String = "user:dispatcher-7") -> CommandEnvelope {
    CommandEnvelope(occurredAt: t, actor: actor)
}

public let caseA = CaseID(rawValue: "C-2026A00017")!
public let caseB = CaseID(rawValue: "C-2026A00018")!
public let requestA1 = RequestID(rawValue: "RQ-2026A00017-1")!
public let requestA2 = RequestID(rawValue: "RQ-2026A00017-2")!
public let adv1 = ResponderID(rawValue: "R-ADV001")!
public let adv2 = ResponderID(rawValue: "R-ADV002")!
public let adv4 = ResponderID(rawValue: "R-ADV004")!
public let dcfs1 = ResponderID(rawValue: "R-DCFS01")!

/// A store of its own in a temporary directory, written through the real command path, with a
/// projections runner. The clock (recordedAt) is virtual: tests move it to record events late.
public final class Harness {
    public let directory: String
    public let timers = TimerIndex()
    public let store: EventStore
    public let handler: CommandHandler
    public let runner: ProjectionRunner
    public let clock: Clock

    /// A settable recordedAt clock.
    public final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = night
        public func now() -> Timestamp { lock.withLock { value } }
        public func set(_ t: Timestamp) { lock.withLock { value = max(value, t) } }
    }

    public init(directory: String? = nil) throws {
        self.directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vigil-views-\(UUID().uuidString)").path
        let clock = Clock()
        self.clock = clock
        store = try EventStore.open(
            directory: self.directory,
            options: EventStore.Options(
                environment: Environment.Options(unsafeNoSync: true), clock: { clock.now() },
                inlineProjections: [timers]))
        handler = CommandHandler(store: store, clock: { clock.now() })
        runner = try ProjectionRunner(store: store)
    }

    deinit {
        store.close()
        if directory.contains("vigil-views-") { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Handles `command`, recorded at its occurredAt (or at `recordedAt`, for a late entry). The
    /// county's reference data (the shipped Los Angeles County list, one course) is registered
    /// before the first command.
    @discardableResult
    public func run(_ command: any Command, recordedAt: Timestamp? = nil) async throws -> CommandResult {
        if !countyRegistered {
            countyRegistered = true
            var list = try CountyList.shipped("los-angeles.json")
            list.courses = ["COURSE-02", "COURSE-08"].map { CourseRegistered(courseCode: $0, title: "Course \($0)") }
            try await handler.registerCounty(
                list,
                envelope: CommandEnvelope(occurredAt: night.adding(seconds: -365 * 86_400), actor: "user:county-admin"))
        }
        clock.set(recordedAt ?? command.envelope.occurredAt)
        return try await handler.handle(command)
    }

    private var countyRegistered = false

    /// Catches the views up and reads them.
    public func read<R>(_ body: (any ViewReader) throws -> R) throws -> R {
        try runner.catchUp()
        return try runner.read(body)
    }

    /// The responder on `caseId`'s first request.
    public func firstResponder(_ caseId: CaseID = caseA) throws -> ResponderID? {
        try record(caseId)?.requests.first?.assignments.first.flatMap { ResponderID(rawValue: $0.responderId) }
    }

    /// The record of `caseId`, caught up.
    public func record(_ caseId: CaseID) throws -> CaseRecord? {
        try read { try $0.row(CasesProjection.cases, caseId.rawValue) }
    }

    /// Registers three advocates in SPA2 (R-ADV001 at station SCV), one in SPA4 and a DCFS worker,
    /// all on a night shift around `night`.
    public func seedCounty() async throws {
        let people: [ResponderRegistered] = [
            ResponderRegistered(
                responderId: adv1, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"],
                areas: [.spa2], stations: ["SCV"]),
            ResponderRegistered(
                responderId: adv2, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa2]),
            ResponderRegistered(
                responderId: adv4, role: .advocate, organization: "SAVING-INNOCENCE", languages: ["en"], areas: [.spa4]),
            ResponderRegistered(
                responderId: dcfs1, role: .dcfs, organization: "DCFS", languages: ["en"], areas: [.spa2]),
        ]
        for person in people {
            try await run(RegisterResponder(registration: person, envelope: by(at(-600), "user:roster-admin")))
        }
        for (index, person) in people.enumerated() {
            let shift = ShiftScheduled(
                shiftId: ShiftID(rawValue: "SH-N00\(index)")!, responderId: person.responderId, startsAt: at(-120),
                endsAt: at(600), onCall: index == 2)
            try await run(ScheduleShift(shift: shift, envelope: by(at(-500), "user:roster-admin")))
        }
    }

    /// Case `caseId` reported by the Sheriff's station of `area` (SCV in SPA2, West Hollywood in
    /// SPA4: the county list places each station in its area), contact ten minutes before `night`.
    public func report(_ caseId: CaseID = caseA, youth: String = "Y-7K2M9Q4D1X", area: Area = .spa2) async throws {
        let station = area == .spa4 ? "WEST-HOLLYWOOD" : "SCV"
        try await run(
            ReportRecovery(
                caseId: caseId, youthRef: YouthRef(rawValue: youth)!, agency: .lasd, station: station, area: area,
                contactAt: at(-10), context: .street, ageAtContact: 15, envelope: by(at(-5), "user:deputy-12")))
    }
}
