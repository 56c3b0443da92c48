import EventStore
import FirstResponder
import Foundation
import Testing
import VigilEngine

/// A directory of its own for one test (tests run in parallel), removed afterwards.
private struct Scratch: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-engine-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

private let recovery = Array(
    #"""
    {"command":"report-recovery","occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-scv-114","caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street","ageAtContact":15,"language":"es","onSupervision":"none","awol":false}
    """#.utf8)

/// Registers the shipped Los Angeles County list, as a county does before its first recovery; the
/// events appended.
@discardableResult
private func registerCounty(_ engine: Engine) async throws -> Int {
    try await engine.commands.registerCounty(
        try CountyList.shipped("los-angeles.json"),
        envelope: CommandEnvelope(occurredAt: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!, actor: "user:county-admin"))
}

@Suite("Engine: the composition root")
struct EngineTests {
    @Test("a new directory opens for writing with the timer index; a command schedules timers read back read-only")
    func openWriteThenRead() async throws {
        let dir = Scratch()
        let engine = try Engine.open(directory: dir.path)
        #expect(engine.timers != nil)
        #expect(engine.vault == nil)
        let county = try await registerCounty(engine)
        let result = try await engine.commands.handle(json: recovery)
        #expect(result.events.map(\.type) == ["RecoveryReported", "TimerScheduled", "TimerScheduled"])
        engine.close()

        let reader = try Engine.open(directory: dir.path, options: .readOnly)
        defer { reader.close() }
        #expect(try reader.store.head().position == UInt64(county) + 3)
        let timers = try #require(reader.timers)
        #expect(
            try timers.pending(in: reader.store.environment).map(\.timerId).sorted() == [
                "T-2026A00017-H72", "T-2026A00017-P72",
            ])
    }

    @Test("the one timer loop fires what fell due, each with its reaction, and nothing before its time")
    func firesDueTimers() async throws {
        let dir = Scratch()
        let engine = try Engine.open(directory: dir.path)
        defer { engine.close() }
        try await registerCounty(engine)
        _ = try await engine.commands.handle(json: recovery)
        let contact = Timestamp(rfc3339: "2026-03-14T01:58:00Z")!
        let early = try await engine.fireDueTimers(
            now: Timestamp(microseconds: contact.microseconds + 71 * 3_600_000_000))
        #expect(early.handled.isEmpty)
        let late = try await engine.fireDueTimers(
            now: Timestamp(microseconds: contact.microseconds + 73 * 3_600_000_000))
        #expect(late.handled.map(\.timerId).sorted() == ["T-2026A00017-H72", "T-2026A00017-P72"])
        #expect(try engine.timers?.pending(in: engine.store.environment).isEmpty == true)
    }

    @Test("read-only on a missing directory: notFound, and nothing is created")
    func readOnlyMissing() throws {
        let dir = Scratch()
        #expect {
            try Engine.open(directory: dir.path, options: .readOnly)
        } throws: { error in
            (error as? EngineError)?.code == .notFound && "\(error)".contains(dir.path)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test("a master key file inside the data directory is refused, and the store is closed again")
    func keyInsideData() throws {
        let dir = Scratch()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        var rng = SystemRandomNumberGenerator()
        try MasterKey.generate(at: dir.path + "/master.key", using: &rng)
        #expect {
            try Engine.open(directory: dir.path, options: Engine.Options(masterKeyPath: dir.path + "/master.key"))
        } throws: { error in
            (error as? EngineError)?.code == .vault && "\(error)".contains("inside the data directory")
        }
        // The store was closed: another writer can open it.
        let again = try Engine.open(directory: dir.path)
        again.close()
    }

    @Test("a master key outside opens the vault for the command handler")
    func vaultOpens() throws {
        let dir = Scratch()
        let keys = Scratch()
        try FileManager.default.createDirectory(atPath: keys.path, withIntermediateDirectories: true)
        var rng = SystemRandomNumberGenerator()
        try MasterKey.generate(at: keys.path + "/master.key", using: &rng)
        let engine = try Engine.open(
            directory: dir.path, options: Engine.Options(masterKeyPath: keys.path + "/master.key"))
        defer { engine.close() }
        #expect(engine.vault != nil)
        #expect(engine.commands.vault != nil)
    }

    @Test("a store-level log (no timer index) opens read-only without one")
    func storeLevelLog() async throws {
        let dir = Scratch()
        let writer = try Engine.open(directory: dir.path, options: Engine.Options(domainViews: false))
        _ = try await writer.store.append(
            AppendRequest(events: [
                NewEvent(
                    stream: "bench-1", type: "Happened", occurredAt: Timestamp(microseconds: 0), actor: "user:t",
                    payload: Array(#"{"n":1}"#.utf8))
            ]))
        writer.close()
        let reader = try Engine.open(directory: dir.path, options: .readOnly)
        defer { reader.close() }
        #expect(reader.timers == nil)
        #expect(try reader.store.head().position == 1)
        #expect(try await reader.fireDueTimers(now: Timestamp(microseconds: .max)).handled.isEmpty)
    }
}
