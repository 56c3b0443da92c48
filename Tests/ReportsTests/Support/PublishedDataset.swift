import EventStore
import Foundation

/// A county that reproduces the figures the county published: **441 arrests in the first eight
/// months** of 2025 across four named operations (three in Santa Clarita Valley) and outside them —
/// 442 recorded, one voided as a duplicate, one corrected from buyer to exploiter — **183 training
/// classes with 19,492 people trained**, and reported cases **up 35%** on the same months of 2024
/// (270 against 200). Written through the real command path, the same every run.
enum PublishedDataset {
    static let period = "2025-01-01..2025-08-31"
    static let operations: [(id: String, name: String, agency: String, station: String, area: String, arrests: Int)] = [
        ("OP-SCV1", "Operation Valley Shield I", "LASD", "SCV", "SPA2", 121),
        ("OP-SCV2", "Operation Valley Shield II", "LASD", "SCV", "SPA2", 96),
        ("OP-SCV3", "Operation Valley Shield III", "LASD", "SCV", "SPA2", 80),
        ("OP-RECLAIM", "Operation Reclaim", "LAPD", "HOLLYWOOD", "SPA4", 70),
    ]
    /// Arrests outside any operation; with the operations' 367, 441 (the voided one comes on top).
    static let otherArrests = 74
    static let stations: [(agency: String, station: String, area: String)] = [
        ("LASD", "SCV", "SPA2"), ("LASD", "LANCASTER", "SPA1"), ("LASD", "COMPTON", "SPA6"),
        ("LAPD", "HOLLYWOOD", "SPA4"), ("LAPD", "77TH", "SPA6"), ("LBPD", "LB-SOUTH", "SPA8"),
    ]

    /// Attendees of each of the 183 classes, summing to 19,492.
    static var attendees: [Int] {
        var a = (0..<182).map { 40 + ($0 * 53) % 131 }
        a.append(19_492 - a.reduce(0, +))
        return a
    }

    static func writer() -> DatasetWriter {
        let w = DatasetWriter()
        w.setUpCounty(at: .utc(2023, 12, 1))
        // Recoveries: 200 in January–August 2024, 270 in January–August 2025, spread over the days;
        // about one in five is a repeat recovery of an earlier youth.
        for (year, count) in [(2024, 200), (2025, 270)] {
            let days = year == 2024 ? 244 : 243
            for i in 0..<count {
                let s = stations[i % stations.count]
                let contact = Timestamp.utc(year, 1, 1, 18).plus(minutes: (i * days / count) * 1440 + (i % 7) * 60)
                let youth = "Y-PUB\(year)\(pad(i % 5 == 4 ? i - 4 : i))00"
                if year == 2025 {
                    // This year's cases have an advocate response: most within 90 minutes.
                    w.recovery(
                        "C-\(year)P\(pad(i))", youth: youth, contact: contact, agency: s.agency, station: s.station,
                        area: s.area, age: 12 + i % 6, arriveAfter: i % 41 == 40 ? nil : 18 + (i * 29) % 110)
                    continue
                }
                w.add(
                    "report-recovery", at: contact.plus(minutes: 5), actor: "user:deputy-1",
                    [
                        "caseId": "C-\(year)P\(pad(i))", "youthRef": youth, "agency": s.agency, "station": s.station,
                        "area": s.area, "contactAt": contact.rfc3339, "context": "street", "ageAtContact": 12 + i % 6,
                    ])
            }
        }
        var arrest = 0
        func record(_ at: Timestamp, _ role: String, _ s: (agency: String, station: String, area: String), op: String?)
        {
            var fields: [String: Any] = [
                "arrestId": "A-P\(pad(arrest))", "role": role, "agency": s.agency, "station": s.station,
                "area": s.area, "arrestedAt": at.rfc3339, "linkedCaseIds": [String](),
            ]
            if let op { fields["operationId"] = op }
            w.add("record-arrest", at: at, actor: "user:booking-1", fields)
            arrest += 1
        }
        let roles = ["buyer", "buyer", "buyer", "exploiter", "trafficker", "buyer", "other", "exploiter"]
        for (n, op) in operations.enumerated() {
            let start = Timestamp.utc(2025, 1 + n * 2, 3)
            w.add(
                "start-operation", at: start, actor: "user:vice-lead",
                ["operationId": op.id, "name": op.name, "agency": op.agency, "area": op.area, "station": op.station])
            for i in 0..<op.arrests {
                record(
                    start.plus(minutes: 60 + i * 41), roles[i % roles.count], (op.agency, op.station, op.area),
                    op: op.id)
            }
            w.add(
                "end-operation", at: start.plus(minutes: 60 + op.arrests * 41 + 60), actor: "user:vice-lead",
                ["operationId": op.id])
        }
        for i in 0...otherArrests {  // one more than counted: it is voided below
            let s = stations[i % stations.count]
            record(.utc(2025, 1, 5).plus(minutes: i * 3 * 1440 + 600), roles[(i + 3) % roles.count], s, op: nil)
        }
        w.add(
            "void-arrest", at: .utc(2025, 8, 20), actor: "user:booking-1",
            ["arrestId": "A-P\(pad(arrest - 1))", "reasonCode": "duplicate-entry", "reason": "entered twice"])
        w.add(
            "correct-arrest", at: .utc(2025, 8, 21), actor: "user:booking-1",
            ["arrestId": "A-P0000", "corrections": ["role": "exploiter"], "reason": "role entered as buyer"])
        // Arrests in the last four months of 2025 are outside the period.
        for i in 0..<12 {
            record(.utc(2025, 9, 2).plus(minutes: i * 1440), "buyer", stations[0], op: nil)
        }
        let courses = [
            ("COURSE-01", "CSEC 101 for first responders", "law-enforcement"),
            ("COURSE-02", "Identifying exploitation in schools", "education"),
            ("COURSE-03", "The First Responder Protocol for social workers", "child-welfare"),
            ("COURSE-04", "Trauma-informed care", "health"), ("COURSE-05", "Community awareness", "community"),
        ]
        for (i, n) in attendees.enumerated() {
            let c = courses[i % courses.count]
            w.add(
                "hold-training-session", at: .utc(2025, 1, 6).plus(minutes: (i * 236 / 183) * 1440),
                actor: "user:trainer-1",
                [
                    "sessionId": "TS-P\(pad(i))", "courseCode": c.0, "courseTitle": c.1, "audienceSector": c.2,
                    "attendees": n,
                ])
        }
        for i in 0..<4 {
            let start = Timestamp.utc(2025, 1 + i * 2, 8)
            w.add(
                "start-parent-cohort", at: start, actor: "user:parent-program-lead",
                ["cohortId": "PC-P\(pad(i))", "weeks": 10, "participants": 14 + i])
            w.add(
                "complete-parent-cohort", at: start.plus(minutes: 70 * 1440), actor: "user:parent-program-lead",
                ["cohortId": "PC-P\(pad(i))", "participants": 14 + i, "completers": 11 + i])
        }
        return w
    }

    static func pad(_ n: Int) -> String { String(format: "%04d", n) }
}
