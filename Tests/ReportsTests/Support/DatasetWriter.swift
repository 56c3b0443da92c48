import EventStore
import FirstResponder
import Foundation
import VigilEngine

/// Writes a test dataset through the real command path (`engine.commands`), deterministically:
/// each command is recorded at its own `recordAt` on a virtual clock (late entries are recorded
/// after they happened), in recorded order, into a store with an id seed.
final class DatasetWriter {
    struct Step {
        var recordAt: Timestamp
        var order: Int
        var json: [String: Any]
    }

    private(set) var steps: [Step] = []

    /// Adds a command that happened at `at` and is recorded at `recordAt` (default: `at`).
    func add(
        _ name: String, at: Timestamp, recordAt: Timestamp? = nil, actor: String = "user:analyst-test",
        _ fields: [String: Any] = [:]
    ) {
        var json = fields
        json["command"] = name
        json["occurredAt"] = at.rfc3339
        json["actor"] = actor
        steps.append(Step(recordAt: recordAt ?? at, order: steps.count, json: json))
    }

    /// Runs every command recorded by `until` (all when nil) into a new store in `directory` and
    /// returns the engine (read-write).
    func write(to directory: String, until: Timestamp? = nil) async throws -> Engine {
        let ordered = steps.sorted { ($0.recordAt, $0.order) < ($1.recordAt, $1.order) }.filter {
            step in until.map { step.recordAt <= $0 } ?? true
        }
        let clock = VirtualClock(ordered.first?.recordAt ?? Timestamp(seconds: 0))
        // Test datasets need no fsync per command (and thousands of them would slow every other
        // test on the machine).
        var options = Engine.Options(clock: { clock.now() }, idSeed: 11)
        options.unsafeNoSync = true
        let engine = try Engine.open(directory: directory, options: options)
        for step in ordered {
            clock.advance(to: step.recordAt)
            let bytes = try JSONSerialization.data(withJSONObject: step.json, options: [.sortedKeys])
            do {
                _ = try await engine.commands.handle(json: Array(bytes))
            } catch {
                engine.close()
                throw DatasetError(message: "\(step.json["command"] ?? "?") at \(step.recordAt): \(error)")
            }
        }
        return engine
    }

    struct DatasetError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

extension Timestamp {
    /// `2025-03-14T12:00:00Z` from its parts, UTC.
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12, _ min: Int = 0) -> Timestamp {
        let text = String(format: "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, h, min)
        return Timestamp(rfc3339: text)!
    }

    /// This instant plus `minutes`.
    func plus(minutes: Int) -> Timestamp { adding(seconds: Int64(minutes) * 60) }
}

extension DatasetWriter {
    /// The policy (v1: 90-minute on-scene thresholds) and responders every dataset starts with.
    func setUpCounty(at t: Timestamp) {
        // The county's reference data first: the shipped Los Angeles County list and the courses.
        var list = try! CountyList.shipped("los-angeles.json")
        list.courses = (1...8).map {
            CourseRegistered(courseCode: "COURSE-0\($0)", title: "Course \($0)", audienceSector: nil)
        }
        for command in list.commands(envelope: CommandEnvelope(occurredAt: t, actor: "user:county-admin")) {
            let json = try! JSONSerialization.jsonObject(with: Data(CommandJSON.encode(command)!)) as! [String: Any]
            add(
                command.name, at: t, actor: "user:county-admin",
                json.filter { !["command", "occurredAt", "actor"].contains($0.key) })
        }
        add(
            "change-policy", at: t, actor: "user:supervisor-1",
            [
                "policyVersion": 1, "ackTimeoutSeconds": 300, "maxEscalations": 3,
                "slaThresholds": [
                    "ADVOCATE-ON-SCENE": 5400, "AGENCY-ON-SCENE": 5400, "ACKNOWLEDGE": 300, "HEALTH-72": 259_200,
                    "PROTOCOL-72": 259_200, "HOTLINE-IMMEDIATE": 86400,
                ],
                "rankingWeights": ["continuity": 1.0, "workload": 0.5, "rotation": 0.25],
            ])
        for (id, role) in [("R-ADV01", "advocate"), ("R-DCFS01", "dcfs")] {
            add(
                "register-responder", at: t, actor: "user:roster-admin",
                [
                    "responderId": id, "role": role, "organization": role == "advocate" ? "SAVING-INNOCENCE" : "DCFS",
                    "languages": ["en"], "areas": ["SPA2", "SPA4", "SPA6"],
                ])
        }
    }

    /// A recovery with an advocate response that arrives after `arriveAfter` minutes (nil: never),
    /// all recorded at `recordAt` offsets when late.
    func recovery(
        _ caseId: String, youth: String, contact: Timestamp, agency: String, station: String, area: String,
        age: Int?, arriveAfter: Int?, recordDelayMinutes: Int = 0
    ) {
        let delay = recordDelayMinutes
        var fields: [String: Any] = [
            "caseId": caseId, "youthRef": youth, "agency": agency, "station": station, "area": area,
            "contactAt": contact.rfc3339, "context": "street",
        ]
        if let age { fields["ageAtContact"] = age }
        let reported = contact.plus(minutes: 5)
        add("report-recovery", at: reported, recordAt: reported.plus(minutes: delay), actor: "user:deputy-1", fields)
        let requested = contact.plus(minutes: 10)
        add(
            "request-response", at: requested, recordAt: requested.plus(minutes: delay), actor: "user:dispatcher-1",
            ["caseId": caseId, "role": "advocate"])
        let requestId = "RQ-\(caseId.dropFirst(2))-1"
        add(
            "assign-manually", at: requested.plus(minutes: 1), recordAt: requested.plus(minutes: 1 + delay),
            actor: "user:dispatcher-1",
            [
                "caseId": caseId, "requestId": requestId, "responderId": "R-ADV01",
                "overrideReason": "test dataset: one advocate on call",
            ])
        if let arriveAfter {
            let arrived = requested.plus(minutes: arriveAfter)
            add(
                "arrive", at: arrived, recordAt: arrived.plus(minutes: delay), actor: "user:r-adv01",
                ["caseId": caseId, "requestId": requestId, "responderId": "R-ADV01"])
            add(
                "clear", at: arrived.plus(minutes: 30), recordAt: arrived.plus(minutes: 30 + delay),
                actor: "user:r-adv01", ["caseId": caseId, "requestId": requestId, "responderId": "R-ADV01"])
        }
    }
}
