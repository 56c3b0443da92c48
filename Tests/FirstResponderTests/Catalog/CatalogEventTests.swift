import EventStore
import FirstResponder
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
}
