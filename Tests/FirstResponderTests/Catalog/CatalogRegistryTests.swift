import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Catalog: the registry")
struct CatalogRegistryTests {
    @Test("every schema file has an entry with the right versions, stream rule and Swift type")
    func entriesMatchTheSchemas() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: SchemaExamples.schemas.appendingPathComponent("events").path
        ).filter { $0.hasSuffix(".schema.json") }
        var seen = 0
        for entry in EventCatalog.entries {
            #expect(entry.versions.map(\.schemaVersion) == Array(1...entry.currentVersion))
            for version in entry.versions {
                let url = SchemaExamples.schemas.appendingPathComponent("events/\(version.schemaFile)")
                let schema = try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
                #expect(schema["$id"] as? String == version.schemaID)
                #expect(schema["x-vigil-stream"] as? [String] == version.streamTemplates)
                #expect(schema["x-vigil-area"] as? String == entry.area)
                #expect(version.swiftType.eventType == entry.type)
                #expect(version.swiftType.schemaVersion == version.schemaVersion)
                seen += 1
            }
        }
        #expect(seen == files.count)
        #expect(EventCatalog.entries.count == Set(files.map { $0.prefix { $0 != "." } }).count)
    }

    @Test("ArrestRecorded has two versions; v2 is current")
    func arrestVersions() throws {
        let entry = try #require(EventCatalog.entry(for: "ArrestRecorded"))
        #expect(entry.currentVersion == 2)
        #expect(entry.schemaFile == "ArrestRecorded.v2.schema.json")
        #expect(entry.version(1)?.schemaFile == "ArrestRecorded.v1.schema.json")
        #expect(entry.version(3) == nil)
        #expect(entry.streamTemplates == ["arrest-{arrestId}"])
        #expect(EventCatalog.entry(for: "TimerScheduled")?.streamTemplates == ["case-{caseId}", "timers"])
    }

    @Test("an unknown type is a clear error at /type")
    func unknownType() {
        #expect(EventCatalog.entry(for: "RecoveryRecorded") == nil)
        let error = #expect(throws: DomainValidationError.self) {
            try [UInt8]("{}".utf8).withUnsafeBytes {
                try EventCatalog.decode(type: "RecoveryRecorded", schemaVersion: 1, payload: $0, encoding: .json)
            }
        }
        #expect(error?.code == .unknownType)
        #expect(error?.pointer == "/type")
        #expect(error?.message.contains("unknown event type") == true)
    }

    @Test("an unknown schema version is a clear error at /schemaVersion")
    func unknownVersion() {
        let error = #expect(throws: DomainValidationError.self) {
            try [UInt8]("{}".utf8).withUnsafeBytes {
                try EventCatalog.decode(type: "ArrestRecorded", schemaVersion: 3, payload: $0, encoding: .json)
            }
        }
        #expect(error?.code == .unknownSchemaVersion)
        #expect(error?.pointer == "/schemaVersion")
    }

    @Test("opaque bytes are not a catalog encoding")
    func opaqueBytes() {
        let error = #expect(throws: DomainValidationError.self) {
            try [UInt8]([1, 2]).withUnsafeBytes {
                try EventCatalog.decode(type: "OperationEnded", schemaVersion: 1, payload: $0, encoding: .bytes)
            }
        }
        #expect(error?.code == .unsupportedEncoding)
    }

    @Test("the stream rule: the case's stream, or timers when a timer has no case")
    func streams() throws {
        let timer = TimerScheduled(
            timerId: TimerID(rawValue: "T-2026A00017-1-ACK-1")!, kind: .ackTimeout,
            dueAt: Timestamp(rfc3339: "2026-03-14T02:18:00Z")!, caseId: CaseID(rawValue: "C-2026A00017")!)
        #expect(timer.streamName == "case-C-2026A00017")
        var caseless = timer
        caseless.caseId = nil
        #expect(caseless.streamName == "timers")
        #expect(throws: DomainValidationError.self) { try EventCatalog.checkStream("timers", for: timer) }
    }

    @Test("the partial validation the importer calls: schema version defaults to the current one")
    func partialValidation() throws {
        let data = try JSONValue(
            parsing: """
                {"arrestId": "A-2026SCV0041", "role": "buyer", "agency": "LASD", "station": "SCV", "area": "SPA2",
                 "arrestedAt": "2026-03-14T02:30:00Z", "linkedCaseIds": [], "operationId": "OP-SCV01"}
                """)
        let occurredAt = Timestamp(rfc3339: "2026-03-14T02:40:00Z")!
        let current = try EventCatalog.validateImportLine(
            type: "ArrestRecorded", schemaVersion: nil, stream: "arrest-A-2026SCV0041", occurredAt: occurredAt,
            data: data)
        #expect(current.schemaVersion == 2)
        #expect((current.event as? ArrestRecorded)?.operationId == OperationID(rawValue: "OP-SCV01"))

        let v1 = #expect(throws: DomainValidationError.self) {
            try EventCatalog.validateImportLine(
                type: "ArrestRecorded", schemaVersion: 1, stream: "arrest-A-2026SCV0041", occurredAt: occurredAt,
                data: data)
        }
        #expect(v1?.pointer == "/data/operationId")
        #expect(v1?.code == .unknownField)

        let stream = #expect(throws: DomainValidationError.self) {
            try EventCatalog.validateImportLine(
                type: "ArrestRecorded", schemaVersion: nil, stream: "arrest-A-2026SCV0042", occurredAt: occurredAt,
                data: data)
        }
        #expect(stream?.pointer == "/stream")
        #expect(stream?.code == .stream)
    }
}
