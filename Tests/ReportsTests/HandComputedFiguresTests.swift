import EventStore
import FirstResponder
import Foundation
import Projections
import Testing
import VigilEngine

@testable import Reports

/// The figures of a small log, computed here straight from its events — a second, deliberately
/// simple computation that shares nothing with the report's — and compared with every number the
/// report gives.
@Suite("Hand-computed figures")
struct HandComputedFiguresTests {
    struct Expected {
        var recoveries = 0
        var youth = Set<String>()
        var repeats = 0
        var byMonth: [String: Int] = [:]
        var byStation: [String: Int] = [:]
        var byArea: [String: Int] = [:]
        var elapsed: [Int64] = []
        var met = 0
        var breached = 0
        var open = 0
        var arrestsByRole: [String: Int] = [:]
        var classes = 0
        var people = 0
        var previousRecoveries = 0
    }

    /// Reads every event and counts, by the rules in the data notes, without the report's code.
    static func expected(_ store: EventStore) throws -> Expected {
        var e = Expected()
        let events = try store.read(from: 1, limit: .max)
        let lastRecorded = events.last!.recordedAt
        func q1(_ t: Timestamp, _ year: Int) -> Bool {
            let s = t.rfc3339
            return s.hasPrefix("\(year)-01") || s.hasPrefix("\(year)-02") || s.hasPrefix("\(year)-03")
        }
        var firstContact: [String: Timestamp] = [:]
        var contacts: [(caseId: String, youth: String, at: Timestamp, station: String, area: String)] = []
        var requests: [String: (requested: Timestamp, deadline: Timestamp, caseId: String)] = [:]
        var arrivals: [String: Timestamp] = [:]
        var arrests: [String: (role: String, at: Timestamp)] = [:]
        var voided = Set<String>()
        var sessions: [String: (attendees: Int, held: Timestamp)] = [:]
        for event in events {
            switch try EventCatalog.decode(event) {
            case let r as RecoveryReported:
                contacts.append((r.caseId.rawValue, r.youthRef.rawValue, r.contactAt, r.station, r.area.rawValue))
            case let c as RecoveryCorrected:
                if let i = contacts.firstIndex(where: { $0.caseId == c.caseId.rawValue }) {
                    if let station = c.corrections.station { contacts[i].station = station }
                    if let area = c.corrections.area { contacts[i].area = area.rawValue }
                }
            case let v as RecoveryVoided:
                contacts.removeAll { $0.caseId == v.caseId.rawValue }
            case let r as ResponseRequested:
                requests[r.requestId.rawValue] = (event.occurredAt, r.deadlineAt, r.caseId.rawValue)
            case let a as ResponderArrived:
                if arrivals[a.requestId.rawValue] == nil { arrivals[a.requestId.rawValue] = event.occurredAt }
            case let a as ArrestRecorded:
                arrests[a.arrestId.rawValue] = (a.role.rawValue, a.arrestedAt)
            case let c as ArrestCorrected:
                if let role = c.corrections.role { arrests[c.arrestId.rawValue]!.role = role.rawValue }
            case let v as ArrestVoided:
                voided.insert(v.arrestId.rawValue)
            case let t as TrainingSessionHeld:
                sessions[t.sessionId.rawValue] = (t.attendees, event.occurredAt)
            case let c as TrainingSessionCorrected:
                if let n = c.corrections.attendees { sessions[c.sessionId.rawValue]?.attendees = n }
                if let t = c.corrections.heldAt { sessions[c.sessionId.rawValue]?.held = t }
            case let v as TrainingSessionVoided:
                sessions[v.sessionId.rawValue] = nil
            default:
                break
            }
        }
        for c in contacts where firstContact[c.youth].map({ c.at < $0 }) ?? true { firstContact[c.youth] = c.at }
        var inPeriod = Set<String>()
        for c in contacts where q1(c.at, 2025) {
            inPeriod.insert(c.caseId)
            e.recoveries += 1
            e.youth.insert(c.youth)
            if firstContact[c.youth]! < c.at { e.repeats += 1 }
            e.byMonth[String(c.at.rfc3339.prefix(7)), default: 0] += 1
            e.byStation[c.station, default: 0] += 1
            e.byArea[c.area, default: 0] += 1
        }
        e.previousRecoveries = contacts.filter { q1($0.at, 2024) }.count
        for (id, r) in requests where inPeriod.contains(r.caseId) {
            if let arrived = arrivals[id] {
                e.elapsed.append((arrived.microseconds - r.requested.microseconds) / 1_000_000)
                if arrived <= r.deadline { e.met += 1 } else { e.breached += 1 }
            } else if r.deadline < lastRecorded {
                e.breached += 1
            } else {
                e.open += 1
            }
        }
        e.elapsed.sort()
        for s in sessions.values where q1(s.held, 2025) {
            e.classes += 1
            e.people += s.attendees
        }
        for (id, a) in arrests where !voided.contains(id) && q1(a.at, 2025) { e.arrestsByRole[a.role, default: 0] += 1 }
        return e
    }

    @Test("Stored views and views folded in memory give the same report, byte for byte")
    func storedAndFoldedViewsAgree() async throws {
        let scratch = Scratch()
        let engine = try await HandDataset.writer().write(to: scratch.file("data"))
        defer { engine.close() }
        let request = ReportRequest(period: ReportPeriod(range: HandDataset.period)!, comparison: .previous)
        let folded = try ReportService(store: engine.store, vigilVersion: "test", dataDirectory: "data").render(
            request, format: .json)
        try engine.projections.catchUp()
        let stored = try ReportService(
            store: engine.store, views: engine.projections, vigilVersion: "test", dataDirectory: "data"
        ).render(request, format: .json)
        #expect(stored == folded)
        // Views that lag behind the position asked for are not read: the report folds in memory.
        let earlier = ReportRequest(
            period: request.period, comparison: .previous,
            knowledge: .position(try engine.store.head().position - 5))
        let lagging = try ReportService(
            store: engine.store, views: engine.projections, vigilVersion: "test", dataDirectory: "data"
        ).render(earlier, format: .json)
        let foldedEarlier = try ReportService(store: engine.store, vigilVersion: "test", dataDirectory: "data")
            .render(earlier, format: .json)
        #expect(lagging == foldedEarlier && lagging != stored)
    }

    @Test func everyFigureMatchesTheEvents() async throws {
        let scratch = Scratch()
        let engine = try await HandDataset.writer().write(to: scratch.file("data"))
        defer { engine.close() }
        let e = try Self.expected(engine.store)
        // The report reads the stored views, caught up as the CLI and the daemon keep them.
        try engine.projections.catchUp()
        let service = ReportService(
            store: engine.store, views: engine.projections, vigilVersion: "test", dataDirectory: "data")
        let report = try service.report(
            ReportRequest(period: ReportPeriod(range: HandDataset.period)!, comparison: .previous))
        func value(_ table: String, _ row: String, _ column: String) -> Cell.Value? {
            report.table(table)?.cell(row, column)?.value
        }
        // Hand check of the dataset itself, so the independent computation is anchored too.
        #expect(e.recoveries == 40 && e.youth.count == 30 && e.previousRecoveries == 16)
        // 12 classes of 186 people; TS-0003 corrected from 13 to 30, TS-0011 (21) voided.
        #expect(e.classes == 11 && e.people == 182)
        #expect(e.arrestsByRole.values.reduce(0, +) == 30)

        #expect(value("summary", "recoveries", "value") == .count(e.recoveries, .children))
        #expect(value("summary", "youth", "value") == .count(e.youth.count, .children))
        #expect(value("summary", "repeats", "value") == .count(e.repeats, .children))
        for (month, n) in e.byMonth {
            #expect(value("recoveries.by-month", month, "recoveries") == .count(n, .children), "\(month)")
        }
        #expect(value("recoveries.by-station", "lasd-scv", "recoveries") == .count(e.byStation["SCV"]!, .children))
        #expect(
            value("recoveries.by-station", "lapd-hollywood", "recoveries")
                == .count(e.byStation["HOLLYWOOD"]!, .children))
        // Case 3 counts at LAPD Central, as corrected; the voided C-20259001 counts nowhere (and says so).
        #expect(e.byStation["CENTRAL"] == 1)
        #expect(value("recoveries.by-station", "lapd-central", "recoveries") == .count(1, .children))
        let corrections = report.notes.first { $0.topic == "Corrections and voids applied" }?.text ?? ""
        #expect(
            corrections.contains("counted as corrected: <11; voided as reported in error and not counted: <11"),
            "\(corrections)")
        for (area, n) in e.byArea {
            #expect(value("recoveries.by-area", area.lowercased(), "recoveries") == .count(n, .children))
        }
        // Response times: n, median and p90 by nearest rank, met, breached, open, % within.
        let n = e.elapsed.count
        let median = e.elapsed[(n + 1) / 2 - 1]
        let p90 = e.elapsed[(9 * n + 9) / 10 - 1]
        #expect(value("response.overall", "advocate", "arrived") == .count(n, .children))
        #expect(value("response.overall", "advocate", "median") == .minutes(Int((median + 30) / 60)))
        #expect(value("response.overall", "advocate", "p90") == .minutes(Int((p90 + 30) / 60)))
        #expect(value("response.overall", "advocate", "met") == .count(e.met, .children))
        #expect(value("response.overall", "advocate", "breached") == .count(e.breached, .children))
        #expect(value("response.overall", "advocate", "open") == .count(e.open, .children))
        #expect(
            value("response.overall", "advocate", "within")
                == .percent(Double(e.met) * 100 / Double(e.met + e.breached)))
        // Arrests by role, corrections and voids applied; never suppressed.
        for (role, count) in e.arrestsByRole {
            #expect(value("arrests.by-role", role, "arrests") == .count(count, .arrests), "\(role)")
            #expect(report.table("arrests.by-role")?.cell(role, "arrests")?.suppressed == false)
        }
        #expect(value("arrests.by-role", "total", "arrests") == .count(30, .arrests))
        #expect(value("training.by-course", "total", "classes") == .count(e.classes, .classes))
        #expect(value("training.by-course", "total", "people") == .count(e.people, .people))
        // The trend: 40 against 16.
        #expect(value("trend", "recoveries", "previous") == .count(16, .children))
        #expect(value("trend", "recoveries", "change") == .change(150))
        // Every count of children below 11 is shown as "<11", everywhere.
        for cell in report.figures {
            if case .count(let c, .children) = cell.value, c < 11 {
                #expect(cell.suppressed && cell.display == "<11", "\(cell.key)")
            }
        }
    }
}
