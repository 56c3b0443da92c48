import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Catalog: upcasting")
struct UpcastingTests {
    static let arrestV1Examples = SchemaExamples.valid.filter { $0.hasPrefix("ArrestRecorded.v1.") }

    @Test("there is at least one v1 arrest example")
    func hasExamples() {
        #expect(!Self.arrestV1Examples.isEmpty)
    }

    @Test("every ArrestRecorded v1 example upcasts to a valid v2", arguments: arrestV1Examples)
    func arrestV1ToV2(_ name: String) throws {
        let line = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name))
        let v1 = try #require(line.validated.event as? ArrestRecorded.V1)
        let v2 = try #require(line.validated.current as? ArrestRecorded)
        #expect(v2 == ArrestRecorded(upcasting: v1))
        #expect(v2.operationId == nil)
        #expect(v2.arrestId == v1.arrestId && v2.role == v1.role && v2.linkedCaseIds == v1.linkedCaseIds)
        #expect(v2.agency == v1.agency && v2.agencyName == v1.agencyName && v2.charges == v1.charges)

        // The upcast value is valid against the v2 schema (and its stream rule).
        let reread = try ArrestRecorded(jsonBytes: v2.jsonBytes())
        #expect(reread == v2)
        #expect(v2.streamName == line.stream)

        // Stored as v1 (either encoding), read back as v2.
        for encoding in [PayloadEncoding.json, .binary] {
            let payload = v1.payload(encoding)
            let read = try payload.withUnsafeBytes {
                try EventCatalog.decode(type: "ArrestRecorded", schemaVersion: 1, payload: $0, encoding: encoding)
            }
            #expect((read as? ArrestRecorded) == v2)
        }
        #expect((try EventCatalog.upcast(v1) as? ArrestRecorded) == v2)
    }
}

@Suite("Upcasting a stored log")
struct StoredUpcastingTests {
    @Test("a store written with ArrestRecorded v1 keeps v1 on disk and reads as v2 after a v2 is appended")
    func storeWrittenWithV1() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-upcast-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try EventStore.open(directory: path)
        defer { store.close() }
        let v1 = try EventCatalog.validateImportLine(
            try SchemaExamples.bytes(valid: "ArrestRecorded.v1.legacy-buyer.json"))
        let v2 = try EventCatalog.validateImportLine(
            try SchemaExamples.bytes(valid: "ArrestRecorded.v2.operation-trafficker.json"))
        _ = try await store.append(AppendRequest(events: [v1.newEvent(), v2.newEvent()]))
        let stored = try store.read(from: 1, limit: 10)
        #expect(stored.map(\.schemaVersion) == [1, 2], "each event keeps the version it was written with")
        let read = try stored.map { try EventCatalog.decode($0) }
        let first = try #require(read[0] as? ArrestRecorded)
        #expect(first.operationId == nil)
        #expect(first.arrestId.rawValue == "A-2025LBP0099")
        #expect(read[1] is ArrestRecorded)
        // As written, for an exact export.
        let asStored = try stored[0].payload.withUnsafeBytes {
            try EventCatalog.decodeAsStored(type: "ArrestRecorded", schemaVersion: 1, payload: $0, encoding: .binary)
        }
        #expect(asStored is ArrestRecorded.V1)
    }
}
