import EventStore
import FirstResponder
import Foundation
import Testing

/// The binary layout of a schema version is frozen once events of it are stored: these tests hold
/// the encoder to the bytes recorded in scripts/catalog/binary-golden.json for every valid example.
/// A new example is recorded with `VIGIL_RECORD_BINARY_GOLDEN=1 swift test --filter BinaryLayoutTests`
/// (which only adds missing entries; an existing entry that differs still fails).
@Suite("Catalog: frozen binary layouts")
struct BinaryLayoutTests {
    static let goldenURL = SchemaExamples.root.appendingPathComponent("scripts/catalog/binary-golden.json")

    static func golden() -> [String: String] {
        guard let data = try? Data(contentsOf: goldenURL),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func unhex(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let j = text.index(i, offsetBy: 2)
            out.append(UInt8(text[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func events() throws -> [String: any DomainEvent] {
        var out: [String: any DomainEvent] = [:]
        for name in SchemaExamples.valid {
            out[name] = try EventCatalog.validateImportLine(try SchemaExamples.bytes(valid: name)).validated.event
        }
        return out
    }

    @Test("every valid example encodes to its recorded bytes, and the recorded bytes decode")
    func matchesGolden() throws {
        var golden = Self.golden()
        let events = try Self.events()
        let actual = events.mapValues { Self.hex($0.binaryBytes()) }
        if ProcessInfo.processInfo.environment["VIGIL_RECORD_BINARY_GOLDEN"] != nil {
            for (name, bytes) in actual where golden[name] == nil { golden[name] = bytes }
            let data = try JSONSerialization.data(withJSONObject: golden, options: [.prettyPrinted, .sortedKeys])
            try (data + Data("\n".utf8)).write(to: Self.goldenURL)
        }
        for (name, bytes) in actual.sorted(by: { $0.key < $1.key }) {
            let recorded = try #require(golden[name], "\(name) has no recorded binary form")
            #expect(recorded == bytes, "the binary layout of \(name) changed")
            let event = try #require(events[name])
            let decoded = try Self.unhex(recorded).withUnsafeBytes {
                try EventCatalog.decodeAsStored(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .binary)
            }
            #expect(decoded.isEqual(to: event))
        }
    }
}
