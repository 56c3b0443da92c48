import EventStore
import Foundation

/// A small county whose figures can be worked out by hand: 40 recoveries in the first quarter of
/// 2025 (30 youth, so 10 repeats… and earlier contacts in 2024 make more), 16 in the first quarter
/// of 2024, advocate arrivals at known minutes (some late, two never), 30 arrests in two operations
/// with one voided and one corrected, 12 training classes, and three late entries.
enum HandDataset {
    /// The report period the tests ask for.
    static let period = "2025-01-01..2025-03-31"

    /// Minutes from request to arrival for the 2025 case `i` (nil: nobody arrived).
    static func arriveAfter(_ i: Int) -> Int? {
        if i == 7 || i == 23 { return nil }
        return 20 + (i * 37) % 140
    }

    static func station(_ i: Int) -> (agency: String, station: String, area: String) {
        i % 3 == 0 ? ("LAPD", "HOLLYWOOD", "SPA4") : ("LASD", "SCV", "SPA2")
    }

    static func writer() -> DatasetWriter {
        let w = DatasetWriter()
        w.setUpCounty(at: .utc(2023, 12, 1))
        // 2024 Q1: 16 recoveries, youth Y…0–15 (first contacts).
        for i in 0..<16 {
            let s = station(i)
            w.recovery(
                "C-2024\(pad(i))", youth: youth(i), contact: .utc(2024, 1, 2).plus(minutes: i * 5 * 1440),
                agency: s.agency, station: s.station, area: s.area, age: 12 + i % 6, arriveAfter: 45)
        }
        // 2025 Q1: 40 recoveries, two days apart from 2 January; youth i % 30 (0–9 recovered twice
        // in the quarter; 0–15 also recovered in 2024).
        for i in 0..<40 {
            let s = station(i)
            let contact = Timestamp.utc(2025, 1, 2).plus(minutes: i * 2 * 1440)
            w.recovery(
                "C-2025\(pad(i))", youth: youth(i % 30), contact: contact, agency: s.agency, station: s.station,
                area: s.area, age: i % 10 == 9 ? nil : 11 + i % 8, arriveAfter: arriveAfter(i),
                recordDelayMinutes: lateCases.contains(i) ? 3 * 1440 : 0)
        }
        // C-20259001 reported case 39's contact a second time: closed as a duplicate and voided, so it
        // counts nowhere. Case 3's contact was by LAPD Central, not Hollywood: corrected.
        let twice = Timestamp.utc(2025, 1, 2).plus(minutes: 39 * 2 * 1440)
        w.recovery(
            "C-20259001", youth: youth(39 % 30), contact: twice, agency: "LAPD", station: "HOLLYWOOD", area: "SPA4",
            age: 15, arriveAfter: nil)
        w.add(
            "close-case", at: twice.plus(minutes: 1440), actor: "user:dispatcher-1",
            ["caseId": "C-20259001", "outcome": "duplicate"])
        w.add(
            "void-recovery", at: twice.plus(minutes: 1500), actor: "user:dispatcher-1",
            ["caseId": "C-20259001", "reasonCode": "duplicate-entry", "reason": "the same contact as C-20250039"])
        w.add(
            "correct-recovery", at: .utc(2025, 3, 28), actor: "user:dispatcher-1",
            ["caseId": "C-20250003", "corrections": ["station": "CENTRAL"], "reason": "the officer was from Central"])
        w.add(
            "start-operation", at: .utc(2025, 1, 10), actor: "user:lasd-vice",
            ["operationId": "OP-NORTH", "name": "Operation North Star", "agency": "LASD", "area": "SPA2"])
        w.add(
            "start-operation", at: .utc(2025, 1, 10), actor: "user:lapd-vice",
            ["operationId": "OP-CENTRAL", "name": "Operation Central", "agency": "LAPD", "area": "SPA4"])
        // 31 arrests recorded, A0030 voided; A0004 corrected from buyer to exploiter.
        for i in 0..<31 {
            let at = Timestamp.utc(2025, 1, 15).plus(minutes: i * 2 * 1440 + 60)
            var fields: [String: Any] = [
                "arrestId": "A-\(pad(i))", "role": roles[i % 4], "agency": i % 2 == 0 ? "LASD" : "LAPD",
                "station": i % 2 == 0 ? "SCV" : "HOLLYWOOD", "area": i % 2 == 0 ? "SPA2" : "SPA4",
                "arrestedAt": at.rfc3339, "linkedCaseIds": [String](),
            ]
            if i % 3 != 2 { fields["operationId"] = i % 2 == 0 ? "OP-NORTH" : "OP-CENTRAL" }
            w.add("record-arrest", at: at, actor: "user:booking-1", fields)
        }
        w.add(
            "void-arrest", at: .utc(2025, 3, 25), actor: "user:booking-1",
            ["arrestId": "A-0030", "reasonCode": "duplicate-entry", "reason": "entered twice"])
        w.add(
            "correct-arrest", at: .utc(2025, 3, 26), actor: "user:booking-1",
            ["arrestId": "A-0002", "corrections": ["role": "exploiter"], "reason": "role mistyped"])
        for i in 0..<12 {
            w.add(
                "hold-training-session", at: .utc(2025, 1, 6).plus(minutes: i * 7 * 1440), actor: "user:trainer-1",
                [
                    "sessionId": "TS-\(pad(i))", "courseCode": i % 2 == 0 ? "COURSE-01" : "COURSE-02",
                    "courseTitle": i % 2 == 0 ? "CSEC 101" : "First responder protocol",
                    "audienceSector": i % 3 == 0 ? "law-enforcement" : "education", "attendees": 10 + i,
                ])
        }
        w.add(
            "correct-training-session", at: .utc(2025, 3, 27), actor: "user:trainer-1",
            ["sessionId": "TS-0003", "corrections": ["attendees": 30], "reason": "sign-in sheet counted 30"])
        w.add(
            "void-training-session", at: .utc(2025, 3, 27), actor: "user:trainer-1",
            ["sessionId": "TS-0011", "reasonCode": "duplicate-entry", "reason": "entered twice"])
        return w
    }

    /// 2025 cases recorded three days late.
    static let lateCases: Set<Int> = [3, 17, 31]
    static let roles = ["trafficker", "exploiter", "buyer", "other"]

    static func youth(_ n: Int) -> String { "Y-HAND\(pad(n))0000" }
    static func pad(_ n: Int) -> String { String(format: "%04d", n) }
}
