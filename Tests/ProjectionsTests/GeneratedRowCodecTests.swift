import Foundation
import Testing
import VigilTestSupport

@testable import Projections

extension ViewReader {
    /// The id of the first case stored.
    fileprivate func firstCaseId() throws -> String? {
        var first: String?
        try scan(CasesProjection.cases, from: "") { key, _ in
            first = key
            return false
        }
        return first
    }
}

@Suite("Generated row codecs")
struct GeneratedRowCodecTests {
    /// Checks every row of `table` in the stored views: the generated codec wrote the bytes the
    /// `Codable` path writes, and both paths read them back as the row. Returns the rows checked.
    static func check<Row>(_ table: TableRef<Row>, _ runner: ProjectionRunner) throws -> Int {
        #expect(Row.self is any RowCodable.Type, "\(Row.self) has a generated codec")
        var rows = 0
        try runner.read { reader in
            try reader.scan(table, from: "") { key, row in
                let bytes = try RowEncoder.encode(row)
                #expect(try RowEncoder.encodeCodable(row) == bytes, "\(table.table)/\(key): the Codable bytes")
                let byCodable = try bytes.withUnsafeBytes {
                    try RowDecoder.decode(Row.self, from: $0, generated: false)
                }
                let byGenerated = try bytes.withUnsafeBytes {
                    try RowDecoder.decode(Row.self, from: $0, generated: true)
                }
                #expect(byCodable == row)
                #expect(byGenerated == row)
                rows += 1
                return true
            }
        }
        return rows
    }

    @Test("every row type's generated codec writes and reads the bytes of the Codable path, over a simulated county")
    func sameBytesAsCodable() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 30, casesPerYear: 1_500)
        let runner = try county.runner()
        try runner.catchUp()
        var counts: [String: Int] = [:]
        counts["cases"] = try Self.check(CasesProjection.cases, runner)
        counts["open"] = try Self.check(CasesProjection.openCases, runner)
        counts["contacts"] = try Self.check(CasesProjection.contacts, runner)
        counts["policy"] = try Self.check(CasesProjection.policyTable, runner)
        counts["voided"] = try Self.check(CasesProjection.voidedRecoveries, runner)
        counts["responders"] = try Self.check(RosterProjection.responders, runner)
        counts["shifts"] = try Self.check(RosterProjection.shifts, runner)
        counts["timeOff"] = try Self.check(RosterProjection.timeOff, runner)
        counts["extents"] = try Self.check(RosterProjection.extents, runner)
        counts["shiftIndex"] = try Self.check(
            TableRef<IntervalIndexRow>(projection: RosterProjection.name, table: "shiftIndex"), runner)
        counts["arrests"] = try Self.check(ArrestsProjection.arrests, runner)
        counts["operations"] = try Self.check(ArrestsProjection.operations, runner)
        counts["sessions"] = try Self.check(TrainingProjection.sessions, runner)
        counts["cohorts"] = try Self.check(TrainingProjection.cohorts, runner)
        for table in ["cases", "open", "contacts", "responders", "shifts", "extents", "shiftIndex", "arrests"] {
            #expect(counts[table, default: 0] > 0, "\(table) has rows to check: \(counts)")
        }
        // Rows and fields a month of the county may not write: made here, every optional both ways.
        let firstCase = try runner.read { reader in try reader.firstCaseId() }
        let stored = try runner.read { reader in try reader.row(CasesProjection.cases, firstCase ?? "") }
        var record = try #require(stored)
        record.sealed = CaseRecord.Sealing(at: -1, scope: "full", legalBasis: "WIC 781")
        record.outOfScope = CaseRecord.Closure(at: 5, code: "adult")
        record.placements = [CaseRecord.Placement(at: 7, kind: "home"), CaseRecord.Placement(at: 8, kind: "")]
        record.milestones.wentMissing = [1, -1 << 50]
        record.milestones.window = CaseRecord.Window(
            closedAt: 9, recordedAt: 10, hotlineReferralCreated: true, advocateOnScene: false, agencyOnScene: nil,
            servicesOffered: true, healthEvaluation: "declined", placementDecided: false, mdtMeetingHeld: true,
            wentMissingInWindow: false)
        try Self.check(record)
        try Self.check(PolicyRow(.initial))
        try Self.check(VoidedRecoveryRow(caseId: "C-1", contactAt: 1, voidedAt: 2, reasonCode: "duplicate"))
        try Self.check(TimeOffRow(timeOffId: "TO-1", responderId: "R-1", startsAt: 1, endsAt: 2, kind: "sick"))
        for focus in [nil, "buyers"] {
            try Self.check(
                OperationRow(
                    operationId: "OP-1", name: "n", agency: "LASD", area: "SPA4", station: focus, focus: focus,
                    startedAt: 1, endedAt: focus == nil ? nil : 3))
        }
        for completed in [nil, 4] {
            try Self.check(
                CohortRow(
                    cohortId: "PC-1", weeks: 6, participants: 12, area: nil, language: "es", startedAt: 1,
                    completedAt: completed.map(Int64.init), completedParticipants: completed, completers: completed))
        }
    }

    /// Checks one row the way ``check(_:_:)`` checks a table's.
    static func check<Row: Codable & Equatable>(_ row: Row) throws {
        #expect(Row.self is any RowCodable.Type, "\(Row.self) has a generated codec")
        let bytes = try RowEncoder.encode(row)
        #expect(try RowEncoder.encodeCodable(row) == bytes, "\(Row.self): the Codable bytes")
        let byCodable = try bytes.withUnsafeBytes { try RowDecoder.decode(Row.self, from: $0, generated: false) }
        let byGenerated = try bytes.withUnsafeBytes { try RowDecoder.decode(Row.self, from: $0, generated: true) }
        #expect(byCodable == row)
        #expect(byGenerated == row)
    }

    @Test("a row whose bytes run short, or past an array's count, is refused")
    func malformed() throws {
        let row = ShiftRow(
            shiftId: "S-1", responderId: "R-ADV001", startsAt: -5, endsAt: 1 << 40, onCall: true, areas: ["SPA4", ""])
        let bytes = try RowEncoder.encode(row)
        #expect(try RowDecoder.decode(ShiftRow.self, from: bytes) == row)
        #expect(throws: RowCodingError.self) { try RowDecoder.decode(ShiftRow.self, from: Array(bytes.dropLast())) }
        #expect(throws: RowCodingError.self) { try RowDecoder.decode(ShiftRow.self, from: bytes + [0]) }
        var huge = bytes
        // The areas' count (after the presence byte) claims more items than bytes are left.
        let countAt = bytes.count - (4 + 1 + 4 + 1)
        huge[countAt + 3] = 0x7F
        #expect(throws: RowCodingError.self) { try RowDecoder.decode(ShiftRow.self, from: huge) }
    }
}
