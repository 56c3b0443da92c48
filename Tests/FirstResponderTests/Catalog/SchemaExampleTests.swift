import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Catalog: the schemas' examples")
struct SchemaExampleTests {
    @Test("the examples are there")
    func examplesExist() {
        #expect(SchemaExamples.valid.count >= 49)
        #expect(SchemaExamples.invalid.count >= 40)
        #expect(Set(SchemaExamples.invalid) == Set(SchemaExamples.expectations.keys))
    }

    @Test("every valid example is accepted and round-trips through JSON and binary", arguments: SchemaExamples.valid)
    func validExample(_ name: String) throws {
        let line = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name))
        let (type, version) = SchemaExamples.typeAndVersion(name)
        #expect(line.type == type)
        #expect(line.validated.schemaVersion == version)
        let event = line.validated.event
        #expect(event.schemaVersion == version)
        #expect(event.streamName == line.stream)

        // JSON: decode → encode → decode gives the same value, and encoding is deterministic.
        let json = event.jsonBytes()
        let fromJSON = try decodeAsStored(event, json, .json)
        #expect(fromJSON.isEqual(to: event))
        #expect(fromJSON.jsonBytes() == json)

        // Binary: the same.
        let binary = event.binaryBytes()
        let fromBinary = try decodeAsStored(event, binary, .binary)
        #expect(fromBinary.isEqual(to: event))
        #expect(fromBinary.binaryBytes() == binary)

        // Reading as the current version.
        let current = try binary.withUnsafeBytes {
            try EventCatalog.decode(type: type, schemaVersion: version, payload: $0, encoding: .binary)
        }
        let entry = try #require(EventCatalog.entry(for: type))
        #expect(current.schemaVersion == entry.currentVersion)
        #expect(current.isEqual(to: line.validated.current))

        // A value built in Swift validates as the import did.
        try event.validate(occurredAt: line.occurredAt)
    }

    @Test("every invalid example is rejected at its expected pointer", arguments: SchemaExamples.invalid)
    func invalidExample(_ name: String) throws {
        let expected = try #require(SchemaExamples.expectations[name], "\(name) has no expectation")
        let bytes = try SchemaExamples.bytes(invalid: name)
        let error = #expect(throws: DomainValidationError.self) {
            try EventCatalog.validateImportLine(bytes)
        }
        #expect(error?.pointer == expected, "\(name): \(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.message.isEmpty == false)
    }

    private func decodeAsStored(
        _ event: any DomainEvent, _ payload: [UInt8], _ encoding: PayloadEncoding
    ) throws -> any DomainEvent {
        try payload.withUnsafeBytes {
            try EventCatalog.decodeAsStored(
                type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: encoding)
        }
    }
}
