import EventStore
import FirstResponder
import PropertyBased
import Testing

@Suite("Catalog: random valid events round-trip")
struct PropertyRoundTripTests {
    @Test("random valid events are valid, and round-trip through JSON and binary")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var random = RandomEvents(seed: seed)
            let event = random.any()
            let occurredAt = Timestamp(seconds: 4_200_000_000)
            #expect(throws: Never.self, "seed \(seed): \(event)") { try event.validate(occurredAt: occurredAt) }

            let json = event.jsonBytes()
            let fromJSON = try json.withUnsafeBytes {
                try EventCatalog.decodeAsStored(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .json)
            }
            #expect(fromJSON.isEqual(to: event), "seed \(seed)")
            #expect(fromJSON.jsonBytes() == json)

            let binary = event.binaryBytes()
            let fromBinary = try binary.withUnsafeBytes {
                try EventCatalog.decodeAsStored(
                    type: event.eventType, schemaVersion: event.schemaVersion, payload: $0, encoding: .binary)
            }
            #expect(fromBinary.isEqual(to: event), "seed \(seed)")
        }
    }
}
