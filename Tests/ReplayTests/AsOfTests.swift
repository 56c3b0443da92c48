import EventStore
import FirstResponder
import Foundation
import Projections
import Replay
import Testing
import VigilTestSupport

@Suite("As of")
struct AsOfTests {
    @Test("every view as of a past position equals the stored view caught up to that position")
    func asOfEqualsStored() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 10)
        let head = try county.store.head().position
        let runner = try county.runner()
        for position in [head / 3, head * 2 / 3, head] {
            try runner.catchUp(through: position)
            let past = try AsOf.views(county.store, at: .position(position))
            let now = try #require(try county.store.event(at: position)?.recordedAt)
            #expect(past.position == position && past.recordedAt == now)
            var stored = try runner.snapshot()
            #expect(stored.position == position)
            stored.head = position  // the stored views are behind the log by design here; compare the figures
            #expect(try CaseBoardQuery().run(past) == CaseBoardQuery().run(stored))
            #expect(
                try ResponseTimesQuery(includeClocks: true).run(past)
                    == ResponseTimesQuery(includeClocks: true).run(stored))
            #expect(try MilestonesQuery().run(past) == MilestonesQuery().run(stored))
            #expect(try RecoveriesQuery().run(past) == RecoveriesQuery().run(stored))
            #expect(try ArrestsQuery().run(past) == ArrestsQuery().run(stored))
            #expect(try TrainingQuery().run(past) == TrainingQuery().run(stored))
            #expect(try RosterQuery().run(past) == RosterQuery().run(stored))
        }
    }

    @Test("as of a recorded time, an entry made later about an earlier event is left out")
    func asKnownOn() async throws {
        let h = try Harness()
        try await h.seedCounty()
        try await h.report()
        try await h.run(RequestResponse(caseId: caseA, role: .advocate, envelope: by(at(0))))
        try await h.run(AssignByPolicy(caseId: caseA, requestId: requestA1, envelope: by(at(1))))
        let responder = try #require(try h.firstResponder())
        // The arrival at minute 60 is only entered two days later.
        try await h.run(
            Arrive(caseId: caseA, requestId: requestA1, responderId: responder, envelope: by(at(60))),
            recordedAt: at(60 * 50))
        let before = try AsOf.views(h.store, at: .recordedAt(at(60 * 24)))
        let knownThen = try ResponseTimesQuery(serviceLevel: "ADVOCATE-ON-SCENE").run(before)
        #expect(before.recordedAt == at(60 * 24))
        #expect(knownThen.levels.first?.overall.breached == 1, "as known a day later nobody had arrived")
        let after = try AsOf.views(h.store, at: .recordedAt(at(60 * 60)))
        let knownLater = try ResponseTimesQuery(serviceLevel: "ADVOCATE-ON-SCENE").run(after)
        #expect(knownLater.levels.first?.overall.met == 1 && knownLater.levels.first?.overall.enteredLate == 1)
        #expect(try Moment.recordedAt(at(60 * 24)).position(in: h.store) < (try h.store.head().position))
    }

    @Test("as-of views fold into a scratch that leaves no file behind; a tiny cache and batch give the same views")
    func scratch() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 6)
        let head = try county.store.head().position
        let parent = county.directory + "-scratch"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let whole = try AsOf.views(county.store, at: .position(head))
        // Rows forgotten after every 97 events are read back from the scratch; the views fold on three
        // lanes (the whole on one per processor).
        let small = try ScratchViews.fold(
            county.store, kinds: ProjectionCatalog.all, through: head, recordedAt: whole.recordedAt, cacheLimit: 3,
            batchSize: 97, parent: parent, lanes: 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty, "unlinked once open")
        #expect(small.position == head && small.recordedAt == whole.recordedAt)
        let cases = try whole.rows(CasesProjection.cases)
        #expect(cases.count > 5)
        #expect(try small.rows(CasesProjection.cases) == cases)
        #expect(try CaseBoardQuery().run(small) == CaseBoardQuery().run(whole))
        #expect(
            try ResponseTimesQuery(includeClocks: true).run(small) == ResponseTimesQuery(includeClocks: true).run(whole)
        )
        #expect(try MilestonesQuery().run(small) == MilestonesQuery().run(whole))
        #expect(try RecoveriesQuery().run(small) == RecoveriesQuery().run(whole))
        #expect(try ArrestsQuery().run(small) == ArrestsQuery().run(whole))
        #expect(try TrainingQuery().run(small) == TrainingQuery().run(whole))
        #expect(try RosterQuery().run(small) == RosterQuery().run(whole))
        // Letting go of the mapped pages loses nothing: the next read maps them again.
        #expect(county.store.environment.releaseResidentPages() > 0)
        #expect(try county.store.readViews { txn in txn.releaseResidentPages() } > 0, "also inside a transaction")
        #expect(try small.rows(CasesProjection.cases) == cases)
        #expect(try small.row(CasesProjection.cases, cases[0].caseId) == cases[0])
    }

    @Test("one case as of a moment, from its stream, equals the case in the views folded to that moment")
    func caseFromItsStream() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 6)
        let head = try county.store.head().position
        let full = try AsOf.views(county.store, at: .position(head))
        let cases = try full.rows(CasesProjection.cases).prefix(5)
        #expect(cases.count == 5)
        for record in cases {
            let id = CaseID(rawValue: record.caseId)!
            #expect(try AsOf.caseRecord(county.store, id, at: .position(head)) == record)
            // Halfway through its own history.
            let stream = try county.store.readStream(CaseFile.stream(id))
            let middle = stream[stream.count / 2].position
            let past = try AsOf.views(county.store, at: .position(middle))
            #expect(
                try AsOf.caseRecord(county.store, id, at: .position(middle))
                    == past.row(CasesProjection.cases, record.caseId))
        }
        #expect(try AsOf.caseRecord(county.store, CaseID(rawValue: "C-99999999")!, at: .position(head)) == nil)
    }
}
