import EventStore
import FirstResponder
import Foundation
import LMDB
import Synchronization
import Testing
import VigilTestSupport

@testable import Projections

@Suite("Projection runner")
struct ProjectionRunnerTests {
    /// The digest of every stored projection, by name.
    private func digests(_ runner: ProjectionRunner) throws -> [String: ViewDigest] {
        var out: [String: ViewDigest] = [:]
        for kind in runner.kinds { out[kind.name] = try runner.digest(kind.name).digest }
        return out
    }

    @Test("caught up in small batches, resumed by a new runner, or rebuilt twice: the same rows, the same digests")
    func digestsAgree() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 20)
        let head = try county.store.head().position
        #expect(head > 1_000)

        // Live: folded a few hundred events at a time, by a runner that is replaced halfway (a restart).
        let first = try county.runner()
        first.batchSize = 300
        try first.catchUp(through: head / 2)
        #expect(try first.status().allSatisfy { $0.checkpoint == head / 2 && $0.lag == head - head / 2 })
        let second = try county.runner()
        second.batchSize = 257
        try second.catchUp()
        #expect(try second.status().allSatisfy { $0.checkpoint == head && $0.lag == 0 && $0.state == "current" })
        let live = try digests(second)

        let rebuilt = try second.rebuild()
        #expect(rebuilt.count == ProjectionCatalog.all.count)
        for result in rebuilt {
            #expect(result.checkpoint == head)
            #expect(result.liveDigest == live[result.name], "\(result.name): the live view is compared")
            #expect(result.matchesLive == true, "\(result.name): rebuilt equals live")
        }
        let again = try second.rebuild()
        #expect(again.map(\.digest) == rebuilt.map(\.digest), "two rebuilds give the same digests")
        #expect(try digests(second) == live)
        // In small batches with a small cache, rows forgotten between batches are read back from the
        // shadow: a table that forgot rows no longer takes a row it has not cached for absent.
        second.rebuildBatchSize = 500
        second.cacheLimit = 20
        let evicting = try second.rebuild()
        #expect(evicting.map(\.digest) == rebuilt.map(\.digest), "a rebuild that evicts gives the same digests")
        // Folded on one thread, or on a lane per projection: the same rows.
        for lanes in [1, ProjectionCatalog.all.count] {
            second.lanes = lanes
            let laned = try second.rebuild()
            #expect(
                laned.map(\.digest) == rebuilt.map(\.digest), "a rebuild on \(lanes) lane(s) gives the same digests")
        }
    }

    @Test(
        "a case event stored in another case's stream: folded in parts the cases would differ, so they are folded whole"
    )
    func partsDisagree() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 6)
        let reports = try county.store.read(from: 1, limit: .max).filter { $0.type == "RecoveryReported" }
        try #require(reports.count >= 6)
        let a = reports[0]
        // Case A's report again, stored around the command layer in five other cases' streams: one fold
        // of the log counts each in A's record (refused: A was reported already). The parts of those
        // streams meet them, and at least one of them is not A's part.
        _ = try await county.store.append(
            AppendRequest(
                events: reports[1...5].map { b in
                    NewEvent(
                        stream: b.stream, type: a.type, schemaVersion: a.schemaVersion, occurredAt: a.occurredAt,
                        actor: "user:misfiled", payload: a.payload, payloadEncoding: a.payloadEncoding)
                }))
        let runner = try county.runner()
        runner.lanes = 1
        try runner.catchUp()
        let caseA = String(a.stream.dropFirst("case-".count))
        let live = try runner.read { try $0.row(CasesProjection.cases, caseA) }
        #expect(live?.refusedEvents == 5, "one fold counts the misfiled reports in case A")
        for lanes in [2, 3] {
            runner.lanes = lanes
            let rebuilt = try runner.rebuild([CasesProjection.name])
            #expect(rebuilt.first?.matchesLive == true, "\(lanes) lanes: the rebuild equals the live view")
            #expect(try runner.read { try $0.row(CasesProjection.cases, caseA) } == live)
            let past = try ScratchViews.fold(
                county.store, kinds: [CasesProjection.self], through: try county.store.head().position,
                recordedAt: nil, lanes: lanes)
            #expect(try past.row(CasesProjection.cases, caseA) == live, "\(lanes) lanes: as of the head, the same")
        }
    }

    @Test(
        "folded in parts on several lanes, and with views handed between lanes mid-batch: one fold's rows, skips, checkpoints"
    )
    func foldedInParts() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 12)
        let head = try county.store.head().position
        let runner = try county.runner()
        runner.lanes = 1
        let whole = try runner.rebuild()
        for lanes in [2, 3] {
            for handing in [false, true] {
                runner.lanes = lanes
                runner.rebuildBatchSize = 700
                runner.cacheLimit = 16
                runner.passTuning = handing ? Self.handingOver(holdingLaneZero: lanes == 2) : PassTuning()
                let parts = try runner.rebuild()
                let label = "\(lanes) lanes\(handing ? ", slices of 40" : "")"
                if handing, lanes == 2 { #expect(runner.lastHandOvers > 0, "\(label): a lane took views from lane 0") }
                #expect(parts.map(\.digest) == whole.map(\.digest), "\(label): the same digests")
                #expect(parts.map(\.skipped) == whole.map(\.skipped), "\(label)")
                #expect(parts.allSatisfy { $0.checkpoint == head }, "\(label)")
            }
        }
        // After a rebuild in parts, its views handed between lanes, the runner folds what comes next
        // into whole views.
        try await county.run(days: 3, seed: 11)
        try runner.catchUp()
        let caughtUp = try runner.status()
        runner.lanes = 1
        runner.passTuning = PassTuning()
        let again = try runner.rebuild()
        #expect(again.allSatisfy { $0.matchesLive == true }, "caught up after parts equals a whole rebuild")
        #expect(caughtUp.allSatisfy { $0.lag == 0 })
    }

    /// Slices of 40 events, so a short log is handed between lanes as a long one is. Holding lane 0
    /// (three views of the 12-day county on two lanes), it stops after its first slice until another
    /// lane, done with its own views, asks for some (5 s at most): it hands them over mid-batch, their
    /// rows not yet written. On three lanes lane 0 holds one view alone, and the others hand views to
    /// each other as they finish.
    private static func handingOver(holdingLaneZero: Bool) -> PassTuning {
        let held = Mutex(!holdingLaneZero)
        return PassTuning(sliceSize: 40, handOverSlices: 2) { lane, asked in
            guard lane == 0, !held.withLock({ $0 }) else { return }
            for _ in 0..<5_000 where !asked() { usleep(1_000) }
            held.withLock { $0 = true }
        }
    }

    @Test("a lane hands over its heaviest views up to half its weight, never all, never one that weighs nothing")
    func whatIsHandedOver() {
        #expect(Fold.handOver(weights: [5, 3, 2]) == [0], "5 is half of 10: it alone")
        #expect(Fold.handOver(weights: [2, 3, 5, 4]) == [0, 2], "half of 14 is 7: 5 and 2 (4 or 3 would pass it)")
        #expect(Fold.handOver(weights: [10, 1]) == [1], "the heavy one is more than half: the light one")
        #expect(Fold.handOver(weights: [0, 0, 4, 4]) == [2], "the other 4 would pass half; nothing for nothing")
        #expect(Fold.handOver(weights: [9, 0]) == [], "one view alone, and one that weighs nothing")
        #expect(Fold.handOver(weights: [7]) == [], "never every view")
        #expect(Fold.handOver(weights: [3, 3]) == [0])
    }

    @Test("a rebuild's lanes split the views by the events each folds, each view in one lane")
    func lanesSplitTheWork() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 20)
        let head = try county.store.head().position
        let kinds = ProjectionCatalog.all
        let targets = kinds.map { FoldTarget($0.init(backend: EmptyBackend())) }
        let lanes = try Fold.lanes(county.store, targets, through: head, count: 2)
        #expect(lanes.count == 2)
        #expect(lanes.flatMap { $0 }.sorted() == Array(targets.indices), "every view in exactly one lane")
        let lane = { (name: String) in lanes.firstIndex { $0.contains { kinds[$0].name == name } } }
        #expect(lane(RosterProjection.name) != lane(CasesProjection.name), "the two heaviest views fold apart")
        #expect(try Fold.lanes(county.store, targets, through: head, count: 1) == [Array(targets.indices)])
        #expect(try Fold.lanes(county.store, targets, through: head, count: 16).count == targets.count)
    }

    @Test("a lane that fails stops the rebuild: nothing is swapped, the stored views stay as they were")
    func failedLane() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 3)
        let head = try county.store.head().position
        let runner = try ProjectionRunner(store: county.store, kinds: [RosterProjection.self, FailsOnce.self])
        runner.lanes = 2
        runner.rebuildBatchSize = 200
        let before = try runner.rebuild()
        FailsOnce.failAt.set(head / 2)
        #expect(throws: FailsOnce.Failure.self) { try runner.rebuild() }
        for result in before {
            #expect(try runner.digest(result.name).digest == result.digest, "\(result.name): the stored view kept")
        }
        #expect(try runner.rebuild().map(\.digest) == before.map(\.digest))
    }

    @Test(
        "each projection, handed only the events its folds(_:) names, keeps the rows it keeps when handed every event")
    func handedOnlyWhatItFolds() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 30)
        let head = try county.store.head().position
        var types: Set<String> = []
        for kind in ProjectionCatalog.all {
            let everything = kind.init(backend: EmptyBackend())
            try county.store.scan(from: 1, through: head) { view in
                let event = try CatalogEvent(view)
                types.insert(event.eventType)
                try everything.apply(event, EventEnvelope(view))
            }
            var routed = [FoldTarget(kind.init(backend: EmptyBackend()))]
            try Fold.run(county.store, &routed, through: head)
            var rows = 0
            for (all, only) in zip(everything.tables, routed[0].projection.tables) {
                let (a, b) = (try all.changes(), try only.changes())
                rows += a.count
                #expect(a.map(\.key) == b.map(\.key), "\(kind.name).\(all.name): the same keys")
                #expect(a.map(\.value) == b.map(\.value), "\(kind.name).\(all.name): the same rows")
            }
            #expect(rows > 0 || kind.name == TrainingProjection.name, "\(kind.name) keeps rows")
        }
        #expect(types.count >= 20, "the log holds many types: \(types.sorted())")
    }

    @Test(
        "the cases fold a binary decision from its case id and envelope alone; a JSON one is decoded; the rows are the same"
    )
    func foldedWithoutPayload() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 10)
        // A decision stored again in JSON, as a log written before binary payloads holds them: the
        // fold decodes it whole (the lifecycle refuses it, its request has a responder by now).
        let decisions = try county.store.read(from: 1, limit: .max).filter { $0.type == "RecommendationComputed" }
        try #require(decisions.count >= 3)
        let d = decisions[1]
        try #require(d.payloadEncoding == .binary)
        _ = try await county.store.append(
            AppendRequest(events: [
                try EventCatalog.decode(d).newEvent(occurredAt: d.occurredAt, actor: "user:json", encoding: .json)
            ]))
        let head = try county.store.head().position
        var counted = [FoldTarget(CountingCases(backend: EmptyBackend()))]
        try Fold.run(county.store, &counted, through: head)
        let cases = try #require(counted[0].projection as? CountingCases)
        #expect(cases.withoutPayload == decisions.count, "every binary decision folded from its case id")
        #expect(cases.decodedDecisions == 1, "the JSON decision decoded")
        #expect(counted[0].skipped == 0)
        // Handed every event decoded, the cases keep the same rows.
        let whole = CasesProjection(backend: EmptyBackend())
        try county.store.scan(from: 1, through: head) { view in
            guard let kind = CatalogEvent.kind(of: view), CasesProjection.folds(kind) else { return }
            try whole.apply(try CatalogEvent(view, kind: kind), EventEnvelope(view))
        }
        for (a, b) in zip(whole.tables, cases.tables) {
            #expect(try a.changes().map(\.key) == b.changes().map(\.key), "\(a.name): the same keys")
            #expect(try a.changes().map(\.value) == b.changes().map(\.value), "\(a.name): the same rows")
        }
    }

    @Test("a runner resumes from the stored checkpoint, and folds only what came after")
    func resumes() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 4)
        let runner = try county.runner()
        let folded = try runner.catchUp()
        let head = try county.store.head().position
        #expect(folded == Int(head))
        #expect(try runner.catchUp() == 0)
        // More of the county happens: a new runner folds only the new events.
        try await county.run(days: 6, seed: 7)
        let newHead = try county.store.head().position
        let restarted = try county.runner()
        #expect(try restarted.status().allSatisfy { $0.lag == newHead - head })
        #expect(try restarted.catchUp() == Int(newHead - head))
    }

    @Test("a view stored by another version of its projection is rebuilt before it is read")
    func outdatedVersion() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 3)
        let runner = try county.runner()
        try runner.catchUp()
        let digest = try runner.digest(CasesProjection.name).digest
        // Pretend the stored rows were folded by version 0 of the cases projection.
        let storage = try ProjectionRunner(store: county.store, kinds: [OldCases.self])
        try storage.rebuild()
        #expect(try runner.status().first { $0.name == CasesProjection.name }?.state == "outdated")
        try runner.catchUp()
        #expect(try runner.status().first { $0.name == CasesProjection.name }?.state == "current")
        #expect(try runner.digest(CasesProjection.name).digest == digest)
    }

    @Test("two runners on one store: the second's batch is refused and it starts again from the stored state")
    func twoRunners() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 6)
        let head = try county.store.head().position
        let a = try county.runner()
        let b = try county.runner()
        a.batchSize = 200
        b.batchSize = 200
        try a.catchUp(through: head / 3)
        try b.catchUp(through: head / 2)  // b adopted a's state, then folded on
        try a.catchUp()  // a's batch from head / 3 conflicts; it re-adopts b's and finishes
        let reference = try county.runner()
        let rebuilt = try reference.rebuild()
        for result in rebuilt { #expect(result.matchesLive == true, "\(result.name)") }
    }

    @Test("a batch that fails (a full disk refuses its commit) leaves nothing folded twice: the retry equals a rebuild")
    func failedBatchIsForgotten() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 3)
        let head = try county.store.head().position
        let runner = try ProjectionRunner(store: county.store, kinds: [FlakyTally.self])
        runner.batchSize = 100
        try runner.catchUp(through: head / 4)  // stored: from here on the runner folds in batches
        FlakyTally.failOnceAt.set(head / 2 + 37)
        #expect(throws: FlakyTally.Failure.self) { try runner.catchUp() }
        #expect(try runner.status()[0].checkpoint < head / 2 + 37, "the failed batch stored nothing")
        try runner.catchUp()
        #expect(try runner.status()[0].checkpoint == head)
        let rebuilt = try runner.rebuild()
        #expect(rebuilt[0].matchesLive == true, "the live tally, retried after the failure, equals a fresh one")
    }

    @Test("a read-only store reads the stored views and refuses to update them")
    func readOnly() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 2)
        try county.runner().catchUp()
        var options = EventStore.Options()
        options.environment.readOnly = true
        // The environment is shared within the process; a read-only EventStore still refuses writes.
        let reader = try ProjectionRunner(store: try EventStore.open(directory: county.directory, options: options))
        #expect(throws: ProjectionError.self) { try reader.catchUp() }
        let board = try reader.read { try RosterQuery().run($0) }
        #expect(!board.responders.isEmpty)
    }
}

/// The cases projection as an older version of it: the same fold, stored under version 0.
final class OldCases: Projection {
    static let name = CasesProjection.name
    static let version = 0
    static let summary = "an older cases projection"
    let wrapped: CasesProjection
    init(backend: any RowBackend) { wrapped = CasesProjection(backend: backend) }
    var tables: [any AnyRowTable] { wrapped.tables }
    func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws { try wrapped.apply(event, envelope) }
    static func folds(_ kind: CatalogEvent.Kind) -> Bool { CasesProjection.folds(kind) }
}

/// The cases projection, counting how decisions (`RecommendationComputed`) reach it: from their
/// case id and envelope, or decoded.
final class CountingCases: Projection {
    static let name = CasesProjection.name
    static let version = CasesProjection.version
    static let summary = "the cases, counting how decisions reach them"
    let wrapped: CasesProjection
    var withoutPayload = 0
    var decodedDecisions = 0
    init(backend: any RowBackend) { wrapped = CasesProjection(backend: backend) }
    var tables: [any AnyRowTable] { wrapped.tables }
    func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        if event.kind == .recommendationComputed { decodedDecisions += 1 }
        try wrapped.apply(event, envelope)
    }
    func apply(_ kind: CatalogEvent.Kind, caseId: CaseID, _ envelope: EventEnvelope) throws {
        withoutPayload += 1
        try wrapped.apply(kind, caseId: caseId, envelope)
    }
    static func folds(_ kind: CatalogEvent.Kind) -> Bool { CasesProjection.folds(kind) }
    static func foldsWithoutPayload(_ kind: CatalogEvent.Kind) -> Bool { CasesProjection.foldsWithoutPayload(kind) }
}

/// The position at which a tally fails, once; set by a test.
final class FailTrigger: Sendable {
    private let position = Mutex<UInt64?>(nil)
    func set(_ at: UInt64) { position.withLock { $0 = at } }
    /// Whether `at` is the position set, clearing it (the failure happens once).
    func fires(at: UInt64) -> Bool {
        position.withLock { set in
            guard set == at else { return false }
            set = nil
            return true
        }
    }
}

/// Counts every event in one row, and fails once — after counting — at the position its trigger
/// names, as a batch whose commit a full disk refuses would. Each subclass has a trigger (and a name)
/// of its own, so the tests that use them run at the same time without setting off each other's.
class FailingTally: Projection {
    struct Failure: Error {}
    class var name: String { "failing-tally" }
    class var version: Int { 1 }
    class var summary: String { "every event counted (fails once, for a test)" }
    class var trigger: FailTrigger { FailTrigger() }
    let counts: RowTable<Int>
    required init(backend: any RowBackend) { counts = RowTable("n", backend: backend) }
    var tables: [any AnyRowTable] { [counts] }
    class func folds(_ kind: CatalogEvent.Kind) -> Bool { true }
    func apply(_ event: CatalogEvent, _ envelope: EventEnvelope) throws {
        counts.put("all", (try counts.get("all") ?? 0) + 1)
        if Self.trigger.fires(at: envelope.position) { throw Failure() }
    }
}

/// The tally the batch-failure test sets off.
final class FlakyTally: FailingTally {
    static let failOnceAt = FailTrigger()
    override class var name: String { "flaky-tally" }
    override class var trigger: FailTrigger { failOnceAt }
}

/// The tally the failed-lane test sets off.
final class FailsOnce: FailingTally {
    static let failAt = FailTrigger()
    override class var name: String { "fails-once" }
    override class var trigger: FailTrigger { failAt }
}

/// A backend that holds nothing (a projection folded only in its tables' caches).
final class EmptyBackend: RowBackend {
    func load(_ key: [UInt8]) throws -> [UInt8]? { nil }
    var startsEmpty: Bool { true }
}
