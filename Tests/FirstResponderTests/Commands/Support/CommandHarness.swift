import EventStore
import FirstResponder
import Foundation
import LMDB
import Testing

/// 2026-03-14T02:00:00Z: the start of the night these tests dispatch in.
let nightStart = Timestamp(seconds: 1_773_453_600)

/// When the tests' log receives their commands: a year after ``nightStart``, so every time the tests
/// use is in the past (the tests that check the clock make their own handler).
let testsReceivedAt = nightStart.adding(seconds: 365 * 86_400)

/// `nightStart` moved by `minutes`.
func at(_ minutes: Int64) -> Timestamp { nightStart.adding(seconds: minutes * 60) }

/// An envelope at `t` by `actor`.
func by(_ t: Timestamp, _ actor: String = "user:dispatcher-7", commandId: UUID? = nil) -> CommandEnvelope {
    CommandEnvelope(occurredAt: t, actor: actor, commandId: commandId)
}

/// Typed ids from literals the tests know are valid.
func caseID(_ s: String) -> CaseID { CaseID(rawValue: s)! }
func responder(_ s: String) -> ResponderID { ResponderID(rawValue: s)! }
func requestID(_ s: String) -> RequestID { RequestID(rawValue: s)! }
func youth(_ s: String) -> YouthRef { YouthRef(rawValue: s)! }
func timerID(_ s: String) -> TimerID { TimerID(rawValue: s)! }

let caseA = caseID("C-2026A00017")
let caseB = caseID("C-2026A00018")
let youthRefA = youth("Y-7K2M9Q4D1X")
let youthRefB = youth("Y-3F8H6J2L5N")
let requestA1 = requestID("RQ-2026A00017-1")

/// A store of its own (timer index, personal-data vault) in a temporary directory, with a command
/// handler. Tests run in parallel; each makes its own.
final class CommandHarness {
    let directory: String
    let timers = TimerIndex()
    let store: EventStore
    let vault: PersonalDataVault
    let handler: CommandHandler

    /// A harness whose log receives commands at `clock`'s time (by default a fixed time a year
    /// after the tests' night), which is also the store's recordedAt clock.
    init(clock: @escaping @Sendable () -> Timestamp = { testsReceivedAt }) throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-commands-\(UUID().uuidString)").path
        store = try EventStore.open(
            directory: directory,
            options: EventStore.Options(
                environment: Environment.Options(unsafeNoSync: true), clock: clock, inlineProjections: [timers]))
        vault = try PersonalDataVault.open(
            environment: store.environment, masterKey: try MasterKey(bytes: (0..<32).map { UInt8($0) &+ 11 }))
        handler = CommandHandler(store: store, vault: vault, clock: clock)
    }

    /// A harness whose log holds the county's reference data — the shipped Los Angeles County list
    /// and the course the tests train with — registered a year before the tests' night.
    static func make(clock: @escaping @Sendable () -> Timestamp = { testsReceivedAt }) async throws -> CommandHarness {
        let h = try CommandHarness(clock: clock)
        try await h.registerCounty()
        return h
    }

    /// Registers the county's reference data through the commands.
    func registerCounty() async throws {
        var list = try CountyList.shipped("los-angeles.json")
        list.courses = [
            CourseRegistered(courseCode: "COURSE-03", title: "CSEC 101", audienceSector: .lawEnforcement)
        ]
        try await handler.registerCounty(
            list,
            envelope: CommandEnvelope(occurredAt: nightStart.adding(seconds: -365 * 86_400), actor: "user:county-admin")
        )
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Handles `command`.
    @discardableResult
    func run(_ command: any Command) async throws -> CommandResult {
        try await handler.handle(command)
    }

    /// The log's head position.
    func head() throws -> UInt64 { try store.head().position }

    /// Runs `command`, expects a rejection with `code`, and checks that nothing was written.
    @discardableResult
    func expectRejection(
        _ code: CommandRejection.Code, _ command: any Command, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandRejection? {
        let before = try head()
        let rejection = await #expect(throws: CommandRejection.self, sourceLocation: sourceLocation) {
            try await self.handler.handle(command)
        }
        #expect(
            rejection?.code == code, "\(rejection.map(String.init(describing:)) ?? "no rejection")",
            sourceLocation: sourceLocation)
        #expect(try head() == before, "a rejected command wrote to the log", sourceLocation: sourceLocation)
        return rejection
    }

    /// The case file of `id` as the log holds it now.
    func caseFile(_ id: CaseID) throws -> CaseFile { try CaseFile.load(id, from: store) }

    /// The board as of the head.
    func roster() throws -> RosterView { try RosterView.load(from: store, through: try head()) }

    /// The types of the events at and after `position`.
    func types(from position: UInt64) throws -> [String] {
        try store.read(from: position, limit: 1_000).map(\.type)
    }
}

/// Checks a result's events: their types and streams in order, positions consecutive, and each
/// stream's versions consecutive and continuing what the stream held before.
func expectEvents(
    _ result: CommandResult, _ expected: [(type: String, stream: String)],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.types == expected.map(\.type), sourceLocation: sourceLocation)
    #expect(result.events.map(\.stream) == expected.map(\.stream), sourceLocation: sourceLocation)
    for (a, b) in zip(result.events, result.events.dropFirst()) {
        #expect(b.position == a.position + 1, sourceLocation: sourceLocation)
    }
    var last: [String: UInt64] = [:]
    for e in result.events {
        if let previous = last[e.stream] { #expect(e.version == previous + 1, sourceLocation: sourceLocation) }
        last[e.stream] = e.version
    }
}
