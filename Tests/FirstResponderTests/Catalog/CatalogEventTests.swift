import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Catalog: the CatalogEvent enum")
struct CatalogEventTests {
    @Test("every catalog type has a case, named by the type")
    func everyType() throws {
        for entry in EventCatalog.entries {
            let example = try #require(
                SchemaExamples.valid.first { $0.hasPrefix("\(entry.type).v\(entry.currentVersion).") },
                "no valid example for \(entry.type)")
            let line = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: example))
            let wrapped = try #require(CatalogEvent(line.validated.current))
            #expect(wrapped.eventType == entry.type)
            #expect(wrapped.event.isEqual(to: line.validated.current))
        }
    }

    @Test(
        "decodes every valid example, in both encodings, as EventCatalog.decode does", arguments: SchemaExamples.valid)
    func decodesLikeTheCatalog(_ name: String) throws {
        let line = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name))
        let event = line.validated.event
        for encoding in [PayloadEncoding.json, .binary] {
            let payload = event.payload(encoding)
            let decoded = try payload.withUnsafeBytes {
                try CatalogEvent(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: encoding)
            }
            let expected = try payload.withUnsafeBytes {
                try EventCatalog.decode(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: encoding)
            }
            #expect(decoded.event.isEqual(to: expected), "\(name) as \(encoding)")
            #expect(decoded.event.schemaVersion == EventCatalog.entry(for: event.eventType)?.currentVersion)
        }
    }

    @Test("an unknown type, an unknown version and opaque bytes are refused with the catalog's codes")
    func refusals() {
        let empty: [UInt8] = []
        #expect(throws: DomainValidationError.self) {
            try empty.withUnsafeBytes {
                _ = try CatalogEvent(type: "NoSuchEvent", schemaVersion: 1, payload: $0, encoding: .binary)
            }
        }
        do {
            _ = try empty.withUnsafeBytes {
                try CatalogEvent(type: "ArrestRecorded", schemaVersion: 9, payload: $0, encoding: .binary)
            }
            Issue.record("version 9 decoded")
        } catch let error as DomainValidationError {
            #expect(error.code == .unknownSchemaVersion)
            #expect(error.message.contains("ArrestRecorded has no schema version 9 (it has 1 to 2)"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try empty.withUnsafeBytes {
                try CatalogEvent(type: "CaseClosed", schemaVersion: 1, payload: $0, encoding: .bytes)
            }
            Issue.record("opaque bytes decoded")
        } catch let error as DomainValidationError {
            #expect(error.code == .unsupportedEncoding)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a stored event decodes from its record's type bytes as from its type name; other names are refused")
    func decodesFromRecords() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-catalog-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try EventStore.open(directory: path)
        defer { store.close() }
        var events: [NewEvent] = []
        for name in SchemaExamples.valid {
            let line = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name))
            for encoding in [PayloadEncoding.binary, .json] {
                var event = line.newEvent(encoding: encoding)
                event.id = nil  // the examples' ids, twice
                event.expectedVersion = nil  // the examples' streams do not exist here
                events.append(event)
            }
        }
        // Names the catalog lacks: a prefix of a type, a type with more after it, another case.
        let others = ["Recovery", "RecoveryReportedX", "recoveryReported", "X"]
        for other in others {
            events.append(
                NewEvent(
                    stream: "other", type: other, occurredAt: Timestamp(microseconds: 0), actor: "test", payload: [],
                    payloadEncoding: .binary))
        }
        _ = try await store.append(AppendRequest(events: events))
        var decoded = 0
        var refused: [String] = []
        try store.scan(from: 1) { view in
            let byName = Result {
                try CatalogEvent(
                    type: view.type, schemaVersion: view.schemaVersion, payload: view.payloadBytes,
                    encoding: view.payloadEncoding)
            }
            switch Result(catching: { try CatalogEvent(view) }) {
            case .success(let event):
                #expect(event == (try? byName.get()), "\(view.type) at \(view.position)")
                decoded += 1
            case .failure(let error):
                #expect((error as? DomainValidationError)?.code == .unknownType, "\(view.type): \(error)")
                refused.append(view.type)
            }
        }
        #expect(decoded == events.count - others.count)
        #expect(refused == others)
    }
}
